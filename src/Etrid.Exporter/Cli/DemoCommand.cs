using System.CommandLine;
using Etrid.AiCompute.Follower;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Cli;

/// <summary><c>etrid-exporter demo</c>: the embedded dev chain and the exporter in one command.</summary>
internal static class DemoCommand
{
    public static Command Create(ILoggerFactory loggerFactory)
    {
        var chainListen = new Option<string>("--chain-listen") { Description = "Where the dev chain serves JSON-RPC", DefaultValueFactory = _ => "http://127.0.0.1:9944" };
        var metricsListen = new Option<string>("--listen") { Description = "Where the exporter serves /metrics and the status page", DefaultValueFactory = _ => "http://127.0.0.1:9090" };
        var blockTime = DevChainCommand.DurationOption("--block-time", "Dev chain block time", "2s");
        var seed = new Option<int>("--seed") { Description = "Dev chain workload seed", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Run the dev chain and the exporter together, and print the URLs to open") { chainListen, metricsListen, blockTime, seed };
        command.SetAction(async (result, cancellationToken) =>
        {
            var chainOptions = new DevChainOptions { Seed = result.GetValue(seed), BlockTime = result.GetValue(blockTime), Jobs = 2000, Gpus = 48, Providers = 12, ArrivalRate = 3 };
            await using var chain = new DevChain.Chain.DevChain(chainOptions, TimeProvider.System, loggerFactory.CreateLogger<DevChain.Chain.DevChain>());
            await using var server = new DevChainServer(chain, loggerFactory);
            if (await HostRunner.TryStartAsync(server, result.GetValue(chainListen)!, "--chain-listen", cancellationToken) is not { } chainUrl)
            {
                return 1;
            }

            chain.Start();
            var options = new ExporterOptions
            {
                Client = new SubstrateClientOptions { Endpoints = [chainUrl], BlockTime = chainOptions.BlockTime },
                Follower = new FollowerOptions(),
                MetricsListen = result.GetValue(metricsListen)!,
            };
            await using var app = ExporterHost.Build(options, loggerFactory);
            if (!await HostRunner.TryStartAsync(app, $"--listen {options.MetricsListen}", cancellationToken))
            {
                return 1;
            }

            var web = app.Urls.First().TrimEnd('/');
            await Console.Out.WriteLineAsync($"""
                Etrid AI-Compute demo is running (Ctrl+C stops):
                  status page   {web}/
                  metrics       {web}/metrics
                  readiness     {web}/readyz
                  dev chain     {chainUrl} (JSON-RPC; try: etrid-exporter inspect --endpoint {chainUrl})
                """);
            // Ends on Ctrl+C (the command's token) or SIGTERM (the host's lifetime), as Kubernetes stops pods.
            await app.WaitForShutdownAsync(cancellationToken);

            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
