using Etrid.DevChain.Chain;
using Etrid.DevChain.Runtime;

namespace Etrid.DevChain.Tests.Chain;

/// <summary>The burst loop's hook: a named provider's GPUs arrive with an instance and leave with it.</summary>
public class ProviderGpusTests
{
    private static DevChain.Chain.DevChain NewChain(double arrivalRate = 0) =>
        new(new DevChainOptions { Seed = 1, Jobs = 100, Gpus = 8, ArrivalRate = arrivalRate, BlockTime = TimeSpan.Zero });

    [Fact]
    public async Task AddProviderGpus_RegistersActiveGpusOfThatProvider()
    {
        await using var chain = NewChain();
        chain.AddProviderGpus("mithril", "inst_a", 8);
        chain.AddProviderGpus("mithril", "inst_b", 4);
        chain.ProduceBlock();

        var account = DevChain.Chain.DevChain.ProviderAccount("mithril");
        var theirs = chain.GroundTruth().Gpus.Where(g => g.Provider.SequenceEqual(account)).ToList();
        Assert.Equal(12, theirs.Count);
        Assert.All(theirs, g => Assert.Equal(DevGpuStatus.Active, g.Status));
        Assert.Equal(12, chain.ProviderGpuCount("mithril"));
    }

    [Fact]
    public async Task RemoveProviderGpus_TakesOnlyThatGroup_AndFailsItsRunningJobs()
    {
        await using var chain = NewChain(arrivalRate: 40);
        chain.AddProviderGpus("mithril", "inst_a", 8);
        chain.AddProviderGpus("mithril", "inst_b", 4);
        chain.ProduceBlocks(2);
        var account = DevChain.Chain.DevChain.ProviderAccount("mithril");
        var (_, jobs, gpus, _) = chain.GroundTruth();
        var burst = gpus.Where(g => g.Provider.SequenceEqual(account)).Select(g => g.Id).Order().ToList();
        var groupA = burst.Take(8).ToHashSet();
        var runningOnA = jobs.Where(j => j.Status == DevJobStatus.Processing && groupA.Contains(j.AssignedGpu!.Value)).Select(j => j.Id).ToList();
        Assert.NotEmpty(runningOnA); // 40 arrivals a block keep every GPU busy

        chain.RemoveProviderGpus("inst_a");
        chain.ProduceBlock();

        (_, jobs, gpus, _) = chain.GroundTruth();
        Assert.Equal(burst.Skip(8), gpus.Where(g => g.Provider.SequenceEqual(account)).Select(g => g.Id).Order());
        Assert.All(runningOnA, id => Assert.Equal(DevJobStatus.Failed, jobs[(int)id].Status));
        Assert.Equal(4, chain.ProviderGpuCount("mithril"));
    }

    [Fact]
    public async Task RemoveProviderGpus_OfAnUnknownGroup_ChangesNothing()
    {
        await using var chain = NewChain();
        var before = chain.GroundTruth().Gpus.Count;
        chain.RemoveProviderGpus("inst_unknown");
        chain.ProduceBlock();
        Assert.Equal(before, chain.GroundTruth().Gpus.Count);
    }

    [Fact]
    public async Task AProvider_HoldsAtMostOneHundredGpus()
    {
        await using var chain = NewChain();
        chain.AddProviderGpus("mithril", "inst_a", 80);
        chain.AddProviderGpus("mithril", "inst_b", 80);
        chain.ProduceBlock();
        Assert.Equal(100, chain.ProviderGpuCount("mithril"));
    }
}
