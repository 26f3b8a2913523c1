using Etrid.Burst.Market;
using Etrid.Burst.Policy;
using static Etrid.Mithril.Tests.Policy.PolicyFixtures;

namespace Etrid.Mithril.Tests.Policy;

public sealed class RebalancerTests
{
    private static readonly PlannerSettings Settings = new() { AllocationTimeout = TimeSpan.FromMinutes(10), MinimumRun = TimeSpan.FromMinutes(5) };

    // A cheap pool first, an expensive one holding a node that has run 30 min: 1,000 ¢ an hour apart.
    private static PoolInput[] Pools(int minAgents = 0) =>
    [
        Pool("cheap") with { SpotPriceCents = 1000 },
        Pool("dear", Bid(BidStatus.Allocated, allocatedMinutes: 30)) with { SpotPriceCents = 2000, MinAgents = minAgents },
    ];

    [Fact]
    public void ASavingAboveTheThreshold_MovesTheNode()
    {
        var move = Rebalancer.Choose(Pools(), Now, Settings, budgetLeftCents: null, minimumSavingUsd: 0.5m);

        Assert.NotNull(move);
        Assert.Equal((1, 0), (move.FromPool, move.ToPool));
        Assert.Equal(10m * 5 / 60, move.SavingUsd, 6); // $10 an hour over 5 min
    }

    [Fact]
    public void ASavingBelowTheThreshold_NoBudgetForBoth_OrTheSourceAtItsFloor_MovesNothing()
    {
        Assert.Null(Rebalancer.Choose(Pools(), Now, Settings, null, minimumSavingUsd: 1m));
        Assert.Null(Rebalancer.Choose(Pools(), Now, Settings, budgetLeftCents: 2799, minimumSavingUsd: 0.5m));
        Assert.Null(Rebalancer.Choose(Pools(minAgents: 1), Now, Settings, null, minimumSavingUsd: 0.5m));
    }
}
