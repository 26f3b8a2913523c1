using System.CommandLine;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.DevChain.Workloads;
using Etrid.Exporter.Cli;

namespace Etrid.DevTools.Cli;

/// <summary><c>etrid-dev devchain</c>: runs the dev chain alone.</summary>
internal static class DevChainCommand
{
    public static Command Create(ILoggerFactory loggerFactory, CliContext cli)
    {
        var listen = CliOptions.Listen("--listen", "Address to serve JSON-RPC on (WebSocket and HTTP)", "http://127.0.0.1:9944");
        var seed = new Option<int>("--seed") { Description = "Workload seed; the same seed gives the same chain", DefaultValueFactory = _ => 1 };
        var jobs = new Option<int>("--jobs") { Description = "Jobs in the genesis state", DefaultValueFactory = _ => 1000 };
        var gpus = new Option<int>("--gpus") { Description = "GPUs in the genesis state", DefaultValueFactory = _ => 32 };
        var providers = new Option<int>("--providers") { Description = "GPU providers in the genesis state (0: one per four GPUs)", DefaultValueFactory = _ => 0 };
        var blockTime = CliOptions.Duration("--block-time", "Time between blocks (e.g. 6s, 500ms)", "6s");
        var finalityLag = new Option<int>("--finality-lag") { Description = "Blocks the finalized head trails the best head", DefaultValueFactory = _ => 2 };
        var finalityEvery = new Option<int>("--finality-notify-every") { Description = "Send a finalized-head notification every N blocks (newest only)", DefaultValueFactory = _ => 1 };
        var arrivalRate = new Option<double>("--arrival-rate") { Description = "Mean job submissions per block", DefaultValueFactory = _ => 2.0 };
        var history = new Option<int>("--history-depth") { Description = "Blocks of state history kept for reads at older blocks", DefaultValueFactory = _ => 256 };
        var historyBlocks = new Option<int>("--history-blocks") { Description = "Blocks of plausible past produced before serving, so the first figures are those of a running market (0: a genesis at time 0)", DefaultValueFactory = _ => 0 };
        var popularity = new Option<bool>("--provider-popularity") { Description = "Assign jobs to providers by a seeded popularity, so utilisation differs between providers" };
        var workload = new Option<string?>("--workload") { Description = "Arrival profile: constant (default), bursty (quiet, surge, quiet), day (a bursty day of 6 s blocks) or phases rate:blocks[,rate:blocks…]" };
        var nextJobId = new Option<ulong?>("--announce-next-job-id") { Description = "Announce this NextJobId instead of the true one: a hostile node, to see the exporter refuse it" };

        var command = new Command("devchain", "Run the dev chain: a Substrate JSON-RPC node with the AI-Compute pallets and a seeded workload")
        {
            listen, seed, jobs, gpus, providers, blockTime, finalityLag, finalityEvery, arrivalRate, history, historyBlocks, popularity, workload, nextJobId,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            WorkloadProfile? profile = null;
            if (result.GetValue(workload) is { } text)
            {
                try
                {
                    profile = WorkloadProfile.Parse(text, result.GetValue(arrivalRate), result.GetValue(seed));
                }
                catch (FormatException e)
                {
                    await cli.Error.WriteLineAsync($"error: --workload '{text}': {e.Message}");
                    return 2;
                }
            }

            var options = new DevChainOptions
            {
                Seed = result.GetValue(seed),
                Jobs = result.GetValue(jobs),
                Gpus = result.GetValue(gpus),
                Providers = result.GetValue(providers),
                BlockTime = result.GetValue(blockTime),
                FinalityLag = result.GetValue(finalityLag),
                FinalityNotifyEvery = result.GetValue(finalityEvery),
                ArrivalRate = result.GetValue(arrivalRate),
                HistoryDepth = result.GetValue(history),
                AnnouncedNextJobId = result.GetValue(nextJobId),
                HistoryBlocks = result.GetValue(historyBlocks),
                ProviderPopularity = result.GetValue(popularity),
                Workload = profile,
            };
            var problems = options.Validate();
            if (await HostRunner.RefuseAsync(problems, cli.Error) is { } refused)
            {
                return refused;
            }

            await using var chain = new DevChain.Chain.DevChain(options, TimeProvider.System, loggerFactory.CreateLogger<DevChain.Chain.DevChain>());
            await using var server = new DevChainServer(chain, loggerFactory);
            if (await DevServers.TryStartAsync(server, result.GetValue(listen)!, "--listen", cli.Error, cancellationToken) is not { } url)
            {
                return 1;
            }

            chain.Start();
            await cli.Out.WriteLineAsync($"dev chain '{chain.ChainName}' serving JSON-RPC on {url} ({options.Jobs} jobs, {options.Gpus} GPUs, block time {options.BlockTime.TotalSeconds:0.###} s, seed {options.Seed}); Ctrl+C stops");
            await HostRunner.WaitForStopSignalAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
