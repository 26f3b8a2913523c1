using Etrid.Burst.Market;
using Etrid.Burst.Policy;
using static Etrid.Mithril.Tests.Policy.PolicyFixtures;

namespace Etrid.Mithril.Tests.Policy;

public sealed class PoolDistributorTests
{
    private static readonly PlannerSettings Settings = new() { AllocationTimeout = TimeSpan.FromMinutes(10), MinimumRun = TimeSpan.FromMinutes(5) };

    private static IReadOnlyList<PoolTarget> Distribute(long gpus, DistributionMode mode, params PoolInput[] pools) =>
        PoolDistributor.Distribute(gpus, mode, mode == DistributionMode.Grow, pools, Now, Settings);

    private static int[] Targets(long gpus, DistributionMode mode, params PoolInput[] pools) =>
        Distribute(gpus, mode, pools).Select(t => t.TargetNodes).ToArray();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    [InlineData(80, 10)]
    public void OnePool_RoundsGpusUpToNodes(long gpus, int nodes) => Assert.Equal([nodes], Targets(gpus, DistributionMode.Grow, Pool()));

    [Fact]
    public void FirstPoolAtMaxAgents_OverflowGoesToTheNext() =>
        Assert.Equal([2, 3], Targets(40, DistributionMode.Grow, Pool("a") with { MaxAgents = 2 }, Pool("b")));

    [Fact]
    public void FirstPoolPricedOut_IsSkipped_KeepsItsNodes()
    {
        var a = Pool("a", Bid(BidStatus.Allocated)) with { SpotPriceCents = 2800 };

        var targets = Distribute(24, DistributionMode.Grow, a, Pool("b"));

        Assert.Equal([1, 2], targets.Select(t => t.TargetNodes));
        Assert.StartsWith("priced out", targets[0].BlockedReason, StringComparison.Ordinal);
        Assert.True(targets[0].AskedToGrow);
    }

    [Fact]
    public void BidNotWinningPastAllocationTimeout_FallsBackToTheNextPool()
    {
        var a = Pool("a", Bid(BidStatus.Open, openMinutes: 11));

        var targets = Distribute(8, DistributionMode.Grow, a, Pool("b"));

        Assert.Equal([0, 1], targets.Select(t => t.TargetNodes));
        Assert.Contains("not winning", targets[0].BlockedReason, StringComparison.Ordinal);
        Assert.True(targets[0].DemandReached);
    }

    [Fact]
    public void PreemptingNodes_TakeSlotsButCoverNothing() =>
        Assert.Equal([1, 1], Targets(16, DistributionMode.Grow, Pool("a", Bid(BidStatus.Preempting)) with { MaxAgents = 2 }, Pool("b")));

    [Fact]
    public void NoDemand_KeepsOnlyMinAgents() =>
        Assert.Equal([2, 0], Targets(0, DistributionMode.Steady, Pool("a") with { MinAgents = 2 }, Pool("b")));

    [Fact]
    public void Growth_AddsOnlyTheDifference_LeavingCapacityWhereItIs()
    {
        // 16 GPUs sit in the less preferred pool b; 8 more are wanted: they go to a, b keeps its two nodes.
        var targets = Targets(24, DistributionMode.Grow, Pool("a"), Pool("b", Bid(BidStatus.Allocated), Bid(BidStatus.Allocated)));

        Assert.Equal([1, 2], targets);
    }

    [Fact]
    public void Keep_LeavesEveryPoolAsItIs_WhateverTheTarget()
    {
        var pools = new[] { Pool("a"), Pool("b", Bid(BidStatus.Allocated), Bid(BidStatus.Allocated)) with { MinAgents = 0 } };

        Assert.Equal([0, 2], Targets(16, DistributionMode.Keep, pools));
        Assert.Equal([0, 2], Targets(0, DistributionMode.Keep, pools));
        Assert.Equal([0, 2], Targets(64, DistributionMode.Keep, pools));

        // Not even min_agents is topped up while the gate holds or waits.
        Assert.Equal([0, 2], Targets(0, DistributionMode.Keep, Pool("a") with { MinAgents = 2 }, pools[1]));
    }

    [Fact]
    public void Shrink_ReleasesFromTheLeastPreferredPool_WholeNodesWithinTheSurplus()
    {
        var a = Pool("a", Bid(BidStatus.Allocated), Bid(BidStatus.Allocated));
        var b = Pool("b", Bid(BidStatus.Allocated)) with { GpusPerNode = 4 };

        // 20 GPUs held; 12 wanted: b's 4-GPU node goes, then one of a's 8-GPU nodes would leave only 8: it stays.
        Assert.Equal([2, 0], Targets(12, DistributionMode.Shrink, a, b));
        Assert.Equal([1, 0], Targets(8, DistributionMode.Shrink, a, b));
    }

    [Fact]
    public void Shrink_KeepsNodesThatHaveNotRunForScaleDownAfter()
    {
        var a = Pool("a", Bid(BidStatus.Allocated, allocatedMinutes: 30), Bid(BidStatus.Allocated, allocatedMinutes: 2), Bid(BidStatus.Allocated, running: false));

        Assert.Equal([2], Targets(0, DistributionMode.Shrink, a));
    }

    [Fact]
    public void Shrink_NeverTopsUpAnotherPoolsMinAgents()
    {
        // Found by the invariant test: b releases a node while a, below its floor, would have created one in the same tick.
        var a = Pool("a") with { MinAgents = 1 };
        var b = Pool("b", Bid(BidStatus.Allocated, allocatedMinutes: 30), Bid(BidStatus.Allocated, allocatedMinutes: 30));

        Assert.Equal([0, 1], Targets(8, DistributionMode.Shrink, a, b));
        Assert.Equal([1, 2], Targets(16, DistributionMode.Steady, a, b));
    }

    [Fact]
    public void Shrink_ThatFindsNoWholeNodeToRelease_TopsUpTheFloors()
    {
        // Found in review: 12 GPUs wanted of 16 on 8-GPU nodes releases nothing, so the gate says "scale down" on every
        // tick; a floor below min_agents must still be restored then.
        var a = Pool("a") with { MinAgents = 1 };
        var b = Pool("b", Bid(BidStatus.Allocated, allocatedMinutes: 30), Bid(BidStatus.Allocated, allocatedMinutes: 30));

        Assert.Equal([1, 2], Targets(12, DistributionMode.Shrink, a, b));
    }
}
