using Etrid.Exporter.Cli;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Exporter.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public async Task Inspect_PrintsChainRuntimePalletsItemsAndFigures()
    {
        await using var dev = await DevChainHarness.StartAsync(jobs: 100, gpus: 8);
        await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [dev.Url], WatchdogBlocks = 0 });
        var output = new StringWriter();
        var exit = await InspectCommand.RunAsync(client, dev.Url.ToString(), output, TextWriter.Null, NullLoggerFactory.Instance, default);
        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("AI Compute PBC Development", text, StringComparison.Ordinal);
        Assert.Contains("ai-compute-pbc spec_version 1", text, StringComparison.Ordinal);
        Assert.Contains("JobMarketplace(13)", text, StringComparison.Ordinal);
        Assert.Contains("ok      JobMarketplace.Jobs", text, StringComparison.Ordinal);
        Assert.Contains("Blake2_128Concat", text, StringComparison.Ordinal);
        Assert.Contains($"pending {dev.Chain.GroundTruth().Pending.Count}", text, StringComparison.Ordinal);
    }
}
