using Etrid.Mithril.Models;
using Etrid.Mithril.Policy;
using static Etrid.Mithril.Tests.Policy.PolicyFixtures;

namespace Etrid.Mithril.Tests.Policy;

public sealed class PoolDistributorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private static int[] Targets(long gpus, params PoolInput[] pools) =>
        PoolDistributor.Distribute(gpus, pools, Now, Timeout).Select(t => t.TargetNodes).ToArray();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    [InlineData(80, 10)]
    public void OnePool_RoundsGpusUpToNodes(long gpus, int nodes) => Assert.Equal([nodes], Targets(gpus, Pool()));

    [Fact]
    public void FirstPoolAtMaxAgents_OverflowGoesToTheNext() =>
        Assert.Equal([2, 3], Targets(40, Pool("a") with { MaxAgents = 2 }, Pool("b")));

    [Fact]
    public void FirstPoolPricedOut_IsSkipped_KeepsItsNodes()
    {
        var a = Pool("a", Bid(BidStatus.Allocated)) with { SpotPriceCents = 2800 };

        var targets = PoolDistributor.Distribute(24, [a, Pool("b")], Now, Timeout);

        Assert.Equal([1, 2], targets.Select(t => t.TargetNodes));
        Assert.StartsWith("priced out", targets[0].BlockedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void BidNotWinningPastAllocationTimeout_FallsBackToTheNextPool()
    {
        var a = Pool("a", Bid(BidStatus.Open, openMinutes: 11));

        var targets = PoolDistributor.Distribute(8, [a, Pool("b")], Now, Timeout);

        Assert.Equal([0, 1], targets.Select(t => t.TargetNodes));
        Assert.Contains("not winning", targets[0].BlockedReason, StringComparison.Ordinal);
        Assert.True(targets[0].DemandReached);
    }

    [Fact]
    public void PreemptingNodes_TakeSlotsButCoverNothing() =>
        Assert.Equal([1, 1], Targets(16, Pool("a", Bid(BidStatus.Preempting)) with { MaxAgents = 2 }, Pool("b")));

    [Fact]
    public void NoDemand_KeepsOnlyMinAgents() =>
        Assert.Equal([2, 0], Targets(0, Pool("a") with { MinAgents = 2 }, Pool("b")));
}
