using System.Text.Json;
using Etrid.DevChain.Runtime;
using Etrid.Exporter.Tests.Support;
using Etrid.Substrate;
using Etrid.Substrate.Metadata;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>Nodes the exporter cannot use: it says why, stays not ready with up 0, and keeps running.</summary>
public class BadInputTests
{
    private static string? NodeWithoutPallets(string method, JsonElement _)
    {
        var full = AiComputeRuntime.Create(1).Metadata;
        var stripped = full with { Pallets = full.Pallets.Where(p => p.Name is "System" or "Timestamp").ToList() };
        const string hash = "\"0x1111111111111111111111111111111111111111111111111111111111111111\"";
        return method switch
        {
            "chain_subscribeNewHeads" or "chain_subscribeFinalizedHeads" or "state_subscribeRuntimeVersion" => "\"sub0000000000001\"",
            "chain_getFinalizedHead" or "chain_getBlockHash" => hash,
            "chain_getHeader" => """{"parentHash":"0x00","number":"0x5","stateRoot":"0x00","extrinsicsRoot":"0x00","digest":{"logs":[]}}""",
            "state_getRuntimeVersion" => """{"specName":"other-chain","implName":"other","specVersion":7,"implVersion":1,"transactionVersion":1,"stateVersion":1,"apis":[]}""",
            "state_getMetadata" => $"\"{Hex.Encode(MetadataWriter.Write(stripped))}\"",
            "system_chain" => "\"Other Chain\"",
            "system_properties" => "{}",
            _ => null,
        };
    }

    private static async Task AssertNotReadyAsync(ExporterHarness exporter, string reason)
    {
        await Eventually.WaitAsync(async () => (await exporter.GetAsync("/readyz")).Contains(reason, StringComparison.Ordinal), $"/readyz to say '{reason}' (says: {await exporter.GetAsync("/readyz")})");
        Assert.Equal(503, await exporter.StatusAsync("/readyz"));
        Assert.Equal(200, await exporter.StatusAsync("/livez"));
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 0", await exporter.GetAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainWithoutThePallets_IsNotReady_AndTheLogNamesWhatIsMissing()
    {
        await using var node = await ScriptedNode.StartAsync(NodeWithoutPallets);
        await using var exporter = await ExporterHarness.StartAsync(node.Url);
        await AssertNotReadyAsync(exporter, "JobMarketplace.Jobs");
        Assert.Contains(exporter.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("GpuRegistry.GpuNodes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeThatAnswersGarbage_IsNotReady_AndNothingCrashes()
    {
        await using var node = await ScriptedNode.StartAsync((_, _) => null, garbage: true);
        await using var exporter = await ExporterHarness.StartAsync(node.Url);
        await Eventually.WaitAsync(() => exporter.Logs.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal)), "a warning in the log");
        await AssertNotReadyAsync(exporter, "not ready");
    }

    [Fact]
    public async Task EndpointThatRefuses_IsNotReady_AndSaysNotConnected()
    {
        await using var exporter = await ExporterHarness.StartAsync(new Uri("ws://127.0.0.1:1/"));
        await AssertNotReadyAsync(exporter, "not connected");
        await Eventually.WaitAsync(() => exporter.Logs.Lines.Any(l => l.Contains("ws://127.0.0.1:1", StringComparison.Ordinal)), "a log line naming the endpoint");
    }
}
