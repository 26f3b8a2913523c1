using Etrid.DevChain.Chain;
using Etrid.DevChain.Runtime;

namespace Etrid.DevChain.Tests.Chain;

/// <summary>The genesis history and provider spread the demo opens with, checked from the ground truth.</summary>
public class PlausibleHistoryTests
{
    private static DevChain.Chain.DevChain NewChain(int seed = 1, int historyBlocks = 600, bool popularity = true) =>
        new(new DevChainOptions
        {
            Seed = seed,
            Jobs = 2000,
            Gpus = 48,
            Providers = 12,
            ArrivalRate = 3,
            BlockTime = TimeSpan.Zero,
            HistoryBlocks = historyBlocks,
            ProviderPopularity = popularity,
        });

    [Fact]
    public async Task HistoryBlocks_AreProducedBeforeTheChainIsHandedOut()
    {
        await using var chain = NewChain(historyBlocks: 300);
        Assert.Equal(300u, chain.Best.Number);
    }

    [Fact]
    public async Task FinishedJobs_OfTheLastHour_HaveRealisticDurations()
    {
        await using var chain = NewChain();
        var (block, jobs, _, _) = chain.GroundTruth();
        var now = block.Number * 6UL;
        var recent = jobs.Where(j => j.Status is DevJobStatus.Completed or DevJobStatus.Disputed && j.CompletedAt >= now - 3600).ToList();

        Assert.True(recent.Count > 500, $"{recent.Count} completions in the last hour");
        var mean = recent.Average(j => (double)(j.CompletedAt!.Value - j.SubmittedAt));

        // A run lasts 2–19 blocks of 6 s (66 s on average) plus its queue wait: nothing near zero.
        Assert.InRange(mean, 40, 300);
        Assert.All(recent, j => Assert.True(j.CompletedAt > j.SubmittedAt, $"job {j.Id}: {j.SubmittedAt} → {j.CompletedAt}"));
    }

    [Fact]
    public async Task GenesisJobs_CarryTimesSpreadOverThePast()
    {
        await using var chain = NewChain();
        var genesisFinished = chain.GroundTruth().Jobs
            .Where(j => j.Id < 2000 && j.Status is DevJobStatus.Completed or DevJobStatus.Failed or DevJobStatus.Disputed && j.CompletedAt <= 600 * 6)
            .ToList();

        Assert.True(genesisFinished.Count > 1000);
        Assert.True(genesisFinished.Select(j => j.CompletedAt).Distinct().Count() > 300, "completions fall on many blocks");
        Assert.True(genesisFinished.Count(j => j.CompletedAt > 300 * 6) > genesisFinished.Count / 3, "and in the recent half too");
    }

    [Fact]
    public async Task Providers_HaveVariedUtilisation_AndSomeGpusIdle()
    {
        await using var chain = NewChain();
        var spreads = new List<double>();
        var idleSeen = false;
        for (var round = 0; round < 10; round++)
        {
            chain.ProduceBlocks(20);
            var (_, jobs, gpus, pending) = chain.GroundTruth();
            var busyGpus = jobs.Where(j => j.Status == DevJobStatus.Processing).Select(j => j.AssignedGpu!.Value).ToHashSet();
            var active = gpus.Where(g => g.Status == DevGpuStatus.Active).ToList();
            var byProvider = active.GroupBy(g => Convert.ToHexString(g.Provider))
                .Select(p => 100.0 * p.Count(g => busyGpus.Contains(g.Id)) / p.Count())
                .ToList();
            spreads.Add(byProvider.Max() - byProvider.Min());
            idleSeen |= pending.Count == 0 && active.Any(g => !busyGpus.Contains(g.Id));
        }

        Assert.True(idleSeen, "some Active GPUs idle while nothing waits");
        Assert.True(spreads.Average() >= 40, $"utilisation spread between providers {string.Join(", ", spreads)}");
    }

    [Fact]
    public async Task SameSeed_SameHistory_OtherSeed_OtherHistory()
    {
        await using var a = NewChain(seed: 3, historyBlocks: 100);
        await using var b = NewChain(seed: 3, historyBlocks: 100);
        await using var c = NewChain(seed: 4, historyBlocks: 100);
        Assert.Equal(a.Best.Hash, b.Best.Hash);
        Assert.NotEqual(a.Best.Hash, c.Best.Hash);
    }

    [Fact]
    public async Task WithoutHistory_GenesisIsTheClassicOne()
    {
        await using var classic = new DevChain.Chain.DevChain(new DevChainOptions { Seed = 2, Jobs = 300, Gpus = 24, BlockTime = TimeSpan.Zero });
        Assert.Equal(0u, classic.Best.Number);
        Assert.All(classic.GroundTruth().Jobs, j => Assert.Equal(0UL, j.SubmittedAt));
    }
}
