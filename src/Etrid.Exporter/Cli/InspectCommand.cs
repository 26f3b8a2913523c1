using System.CommandLine;
using System.Globalization;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Scale;

namespace Etrid.Exporter.Cli;

/// <summary>
/// <c>etrid-exporter inspect --endpoint URL</c>: what an operator runs first when the connection to
/// the chain fails: chain, runtime, pallets, the storage items found or missing, and the figures.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(ILoggerFactory loggerFactory, CliContext cli)
    {
        var endpoint = CliOptions.Endpoint("--endpoint", "-e", "Node WebSocket URL, e.g. ws://127.0.0.1:9944");
        var timeout = CliOptions.Duration("--timeout", "Longest wait for the node", "20s");
        var command = new Command("inspect", "Connect to a node and print the chain, runtime, pallets, needed storage items and current figures") { endpoint, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            var url = result.GetValue(endpoint)!;
            var limit = result.GetValue(timeout);
            var output = cli.Out;
            await using var client = new SubstrateClient(new SubstrateClientOptions
            {
                Endpoints = [url],
                RequestTimeout = limit,
                ConnectTimeout = limit,
                WatchdogBlocks = 0,
            }, loggerFactory.CreateLogger<SubstrateClient>());
            return await RunAsync(client, EndpointDisplay.Redact(url), output, cli.Error, loggerFactory, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(ISubstrateRpc rpc, string endpoint, TextWriter output, TextWriter error, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            await output.WriteLineAsync($"endpoint:        {endpoint}");
            await output.WriteLineAsync($"chain:           {await rpc.GetSystemChainAsync(cancellationToken)}");
            var finalized = await rpc.GetFinalizedHeadAsync(cancellationToken);
            var header = await rpc.GetHeaderAsync(finalized, cancellationToken);
            await output.WriteLineAsync($"finalized block: {header?.Number} {finalized}");
            var version = await rpc.GetRuntimeVersionAsync(finalized, cancellationToken);
            await output.WriteLineAsync($"runtime:         {version.SpecName} spec_version {version.SpecVersion} (impl {version.ImplName} {version.ImplVersion}, transaction_version {version.TransactionVersion})");
            var metadata = MetadataParser.Parse(await rpc.GetLatestMetadataAsync(version, finalized, cancellationToken));
            await output.WriteLineAsync($"metadata:        V{metadata.Version}, {metadata.Types.Types.Count} types");
            await output.WriteLineAsync($"pallets:         {string.Join(", ", metadata.Pallets.Select(p => $"{p.Name}({p.Index})"))}");
            await output.WriteLineAsync();
            await output.WriteLineAsync("what the exporter needs:");
            var checks = AiComputeSchema.Inspect(metadata);
            foreach (var check in checks)
            {
                var mark = check.Found ? "ok     " : check.Required ? "MISSING" : "absent ";
                await output.WriteLineAsync($"  {mark} {check.Name,-32} {check.Detail}");
            }

            if (checks.Any(c => c.Required && !c.Found))
            {
                await output.WriteLineAsync();
                await output.WriteLineAsync("this chain does not have what the exporter needs (see MISSING above): it will stay not ready");
                return 1;
            }

            var hub = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
            var follower = new ChainFollower(rpc, new FollowerOptions(), hub, loggerFactory.CreateLogger<ChainFollower>());
            var snapshot = await follower.SyncOnceAsync(cancellationToken);
            await output.WriteLineAsync();
            await PrintFiguresAsync(snapshot, output);
            return 0;
        }
        catch (SubstrateRpcException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync(e.Code is null
                ? "the node did not answer: check the URL, that the node runs with --rpc-external (or a proxy), and the network path"
                : "the node refused the call: public nodes may refuse unsafe RPC methods; use a node you run");
            return 1;
        }
        catch (Exception e) when (e is MetadataException or SchemaException or FormatException or ScaleDecodeException or ChainDataException or JobLimitException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task PrintFiguresAsync(ChainSnapshot snapshot, TextWriter output)
    {
        var f = snapshot.Figures;
        var ci = CultureInfo.InvariantCulture;
        await output.WriteLineAsync($"figures at block {snapshot.BlockNumber}:");
        await output.WriteLineAsync("  jobs:        " + string.Join(", ", f.JobsByStatus.Select(p => $"{p.Key.ToString().ToLowerInvariant()} {p.Value}")));
        await output.WriteLineAsync("  gpus:        " + string.Join(", ", f.GpusByStatus.Select(p => $"{p.Key.ToString().ToLowerInvariant()} {p.Value}")));
        await output.WriteLineAsync(string.Create(ci, $"  avg wait:    {f.AverageWaitSeconds:F1} s"));
        await output.WriteLineAsync(double.IsNaN(f.AverageDurationSeconds) ? "  avg duration: no completions in the window" : string.Create(ci, $"  avg duration: {f.AverageDurationSeconds:F1} s"));
        await output.WriteLineAsync(string.Create(ci, $"  jobs per active GPU: {f.JobsPerActiveGpu:F2}"));
        await output.WriteLineAsync($"  providers:   {f.Providers.Count}");
        foreach (var p in f.Providers.Take(10))
        {
            await output.WriteLineAsync(string.Create(ci, $"    {p.Address}  gpus {p.RegisteredGpus}  utilisation {p.UtilizationPercent:F1} %  completed {p.JobsCompleted}  earnings {p.EarningsEdsc:F4} EDSC"));
        }
    }
}
