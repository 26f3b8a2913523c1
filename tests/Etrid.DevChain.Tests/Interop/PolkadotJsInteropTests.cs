using System.Diagnostics;
using System.Text.Json;
using Etrid.DevChain.Runtime;
using Etrid.Substrate.Ss58;
using Etrid.Tests.Shared;

namespace Etrid.DevChain.Tests.Interop;

/// <summary>
/// polkadot.js, the standard Substrate client, reads the dev chain over WebSocket and must see the
/// jobs, GPUs and events the dev chain holds. Needs Node.js and <c>npm ci</c> in tests/interop
/// (.ci/run does both).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PolkadotJsInteropTests : IAsyncLifetime
{
    private DevChainHarness _dev = null!;

    public async Task InitializeAsync() => _dev = await DevChainHarness.StartAsync(jobs: 120, gpus: 12, finalityLag: 0);

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    [Fact]
    public async Task PolkadotJs_ReadsJobsGpusAndEvents_AsTheDevChainHoldsThem()
    {
        _dev.Chain.ProduceBlocks(15);
        var (block, jobs, gpus, pending) = _dev.Chain.GroundTruth();
        var seen = await ReadWithPolkadotJsAsync(block.Hash);

        Assert.Equal("AI Compute PBC Development", seen.GetProperty("chain").GetString());
        Assert.Equal((int)block.Number, seen.GetProperty("blockNumber").GetInt32());
        Assert.Equal(["System:0", "Timestamp:1", "GpuRegistry:12", "JobMarketplace:13"], seen.GetProperty("pallets").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(500, seen.GetProperty("platformFeeBps").GetInt32());
        Assert.Equal(pending.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen.GetProperty("pendingJobs").EnumerateArray().Select(p => p.GetString()));

        var seenJobs = seen.GetProperty("jobs").EnumerateArray().ToDictionary(j => ulong.Parse(j.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(jobs.Count, seenJobs.Count);
        foreach (var job in jobs)
        {
            var s = seenJobs[job.Id];
            Assert.Equal(job.Status.ToString(), s.GetProperty("status").GetString());
            Assert.Equal(job.Payment.ToString(System.Globalization.CultureInfo.InvariantCulture), s.GetProperty("payment").GetString());
            Assert.Equal(job.AssignedGpu?.ToString(System.Globalization.CultureInfo.InvariantCulture), s.GetProperty("assignedGpu").GetString());
            Assert.Equal(Ss58Address.Encode(job.Submitter, 42), s.GetProperty("submitter").GetString());
            Assert.Equal(job.SubmittedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), s.GetProperty("submittedAt").GetString());
        }

        var seenGpus = seen.GetProperty("gpus").EnumerateArray().ToDictionary(g => ulong.Parse(g.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(gpus.Count, seenGpus.Count);
        Assert.All(gpus, g =>
        {
            Assert.Equal(g.Status.ToString(), seenGpus[g.Id].GetProperty("status").GetString());
            Assert.Equal(Ss58Address.Encode(g.Provider, 42), seenGpus[g.Id].GetProperty("provider").GetString());
        });

        var names = seen.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal("system.ExtrinsicSuccess", names[0]);
        Assert.All(names.Skip(1), n => Assert.Matches("^(jobMarketplace|gpuRegistry)\\.", n!));
    }

    [Fact]
    public async Task PolkadotJs_ReadsAfterARuntimeUpgrade()
    {
        _dev.Chain.UpgradeRuntime();
        _dev.Chain.ProduceBlocks(3);
        var seen = await ReadWithPolkadotJsAsync(_dev.Chain.Best.Hash);
        Assert.Equal(2, seen.GetProperty("specVersion").GetInt32());
        Assert.Equal(_dev.Chain.GroundTruth().Jobs.Count, seen.GetProperty("jobs").GetArrayLength());
    }

    private async Task<JsonElement> ReadWithPolkadotJsAsync(string blockHash)
    {
        var root = RepositoryRoot.Path;
        var interop = Path.Combine(root, "tests", "interop");
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "@polkadot", "api")), "polkadot.js is not installed: run 'npm ci' in tests/interop (.ci/run does)");
        var start = new ProcessStartInfo("node", [Path.Combine(interop, "read-chain.mjs"), _dev.Url.ToString(), blockHash])
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"polkadot.js failed ({process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
