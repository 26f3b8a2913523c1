using Etrid.Burst.Market;
using Etrid.Burst.Policy;
using static Etrid.Mithril.Tests.Policy.PolicyFixtures;

namespace Etrid.Mithril.Tests.Policy;

public sealed class PoolPlannerTests
{
    private static readonly PlannerSettings Settings = new() { MaxSuspendedBids = 1, AllocationTimeout = TimeSpan.FromMinutes(10), MinimumRun = TimeSpan.FromMinutes(5) };

    private static PoolPlan Plan(PoolInput pool, int target, long? budget = null, PlannerSettings? settings = null, bool demand = true) =>
        PoolPlanner.Plan(pool, new PoolTarget(pool.PoolName, target, demand || target > 0, pool.BlockedReason(Now, (settings ?? Settings).AllocationTimeout)), Now, settings ?? Settings, budget);

    private static string Kinds(PoolPlan plan) => string.Join(",", plan.Actions.Select(a => a.Kind));

    [Fact]
    public void ScaleUp_ResumesPausedCurrentBidsBeforeCreating()
    {
        var p1 = Bid(BidStatus.Paused);
        var p2 = Bid(BidStatus.Paused);
        var plan = Plan(Pool("p", p1, p2), 3, settings: Settings with { MaxSuspendedBids = 5 });

        Assert.Equal("Resume,Resume,Create", Kinds(plan));
        Assert.Equal([p1.Fid, p2.Fid], plan.Actions.Take(2).Select(a => a.BidFid).Order());
    }

    [Fact]
    public void ScaleUp_PricedOut_PlacesAndResumesNothing()
    {
        var plan = Plan(Pool("p", Bid(BidStatus.Paused)) with { SpotPriceCents = 2800 }, 2);

        Assert.Empty(plan.Actions);
        Assert.Contains(plan.Notes, n => n.Contains("priced out", StringComparison.Ordinal));
    }

    [Fact]
    public void ScaleUp_WithinMaxAgents_CountingPreemptingBids()
    {
        var pool = Pool("p", Bid(BidStatus.Preempting), Bid(BidStatus.Allocated)) with { MaxAgents = 3 };

        Assert.Equal("Create", Kinds(Plan(pool, 3)));
        Assert.Empty(Plan(pool with { MaxAgents = 2 }, 2).Actions);
    }

    [Fact]
    public void PreemptedCapacity_IsReplaced()
    {
        // The preempting node no longer covers demand: one new bid replaces it.
        var plan = Plan(Pool("p", Bid(BidStatus.Preempting), Bid(BidStatus.Allocated)), 2);

        Assert.Equal("Create", Kinds(plan));
    }

    [Fact]
    public void ScaleUp_Budget_StopsBeforeTheCeiling()
    {
        var plan = Plan(Pool("p"), 3, budget: 6000);

        Assert.Equal("Create,Create", Kinds(plan));
        Assert.Equal(400, plan.BudgetLeftCents);
        Assert.Contains(plan.Notes, n => n.Contains("max_hourly_spend_usd", StringComparison.Ordinal));
    }

    [Fact]
    public void ScaleDown_OpenFirst_ThenPauseUpToTheLimit_ThenCancel()
    {
        var open = Bid(BidStatus.Open);
        var older = Bid(BidStatus.Allocated, ageMinutes: 30);
        var newer = Bid(BidStatus.Allocated, ageMinutes: 10);
        var oldest = Bid(BidStatus.Allocated, ageMinutes: 60);

        var plan = Plan(Pool("p", open, older, newer, oldest), 1);

        Assert.Equal([(BidActionKind.Cancel, open.Fid), (BidActionKind.Pause, newer.Fid), (BidActionKind.Cancel, older.Fid)], plan.Actions.Select(a => (a.Kind, a.BidFid!)));
    }

    [Fact]
    public void ScaleDown_StaleNodesGoBeforeCurrentOnes_AndAreNeverPaused()
    {
        var stale = Bid(BidStatus.Allocated, current: false, ageMinutes: 10);
        var current = Bid(BidStatus.Allocated, ageMinutes: 20);

        var plan = Plan(Pool("p", stale, current), 1);

        Assert.Equal([(BidActionKind.Cancel, stale.Fid)], plan.Actions.Select(a => (a.Kind, a.BidFid!)));
    }

    [Fact]
    public void StalePausedBids_AreCancelledOnSight()
    {
        var stale = Bid(BidStatus.Paused, current: false);

        var plan = Plan(Pool("p", stale, Bid(BidStatus.Allocated)), 1);

        Assert.Equal([(BidActionKind.Cancel, stale.Fid)], plan.Actions.Select(a => (a.Kind, a.BidFid!)));
    }

    [Fact]
    public void PausedBeyondTheLimit_OldestAreCancelled()
    {
        var oldest = Bid(BidStatus.Paused, ageMinutes: 90);
        var middle = Bid(BidStatus.Paused, ageMinutes: 60);
        var newest = Bid(BidStatus.Paused, ageMinutes: 30);

        var plan = Plan(Pool("p", oldest, middle, newest), 0, demand: false);

        Assert.Equal([oldest.Fid, middle.Fid], plan.Actions.Where(a => a.Kind == BidActionKind.Cancel).Select(a => a.BidFid));
    }

    [Fact]
    public void NotWinning_KeptWhileDemandLasts_CancelledWhenItIsGone()
    {
        var stuck = Bid(BidStatus.Open, openMinutes: 12);
        var pool = Pool("p", stuck);

        Assert.Empty(Plan(pool, 1).Actions);
        Assert.Equal([(BidActionKind.Cancel, stuck.Fid)], Plan(pool, 0, demand: false).Actions.Select(a => (a.Kind, a.BidFid!)));
    }

    [Fact]
    public void AllocatedButNeverRunning_IsCancelledAfterKillUnknownAfter()
    {
        var lost = Bid(BidStatus.Allocated, running: false, allocatedMinutes: 16);
        var booting = Bid(BidStatus.Allocated, running: false, allocatedMinutes: 5);

        var plan = Plan(Pool("p", lost, booting) with { KillUnknownAfter = TimeSpan.FromMinutes(15) }, 2);

        Assert.Equal([(BidActionKind.Cancel, lost.Fid), (BidActionKind.Create, null)], plan.Actions.Select(a => (a.Kind, a.BidFid)));
    }

    [Fact]
    public void AllocatedNodeSeenRunning_IsNotKilledAsUnknown_WhenItsInstanceStopsRunning()
    {
        // Found by the invariant long form: the bid listed Allocated, its instance no longer running a moment later.
        var ran = Bid(BidStatus.Allocated, running: false, allocatedMinutes: 16) with { RanSinceAllocated = true };

        var plan = Plan(Pool("p", ran) with { KillUnknownAfter = TimeSpan.FromMinutes(15) }, 1);

        Assert.DoesNotContain(plan.Actions, a => a.Kind == BidActionKind.Cancel);
    }

    [Fact]
    public void ScaleDown_ReleasesOnlyNodesThatHaveRunForScaleDownAfter()
    {
        var veteran = Bid(BidStatus.Allocated, ageMinutes: 30, allocatedMinutes: 20);
        var fresh = Bid(BidStatus.Allocated, ageMinutes: 30, allocatedMinutes: 2);
        var booting = Bid(BidStatus.Allocated, ageMinutes: 3, running: false, allocatedMinutes: 1);

        var plan = Plan(Pool("p", veteran, fresh, booting), 0, settings: Settings with { MaxSuspendedBids = 5 });

        // Asked for none, it gives back only the node that has earned its keep; the others stay until they have.
        Assert.Equal([(BidActionKind.Pause, veteran.Fid)], plan.Actions.Select(a => (a.Kind, a.BidFid!)));
    }

    [Fact]
    public void SameInput_SamePlan()
    {
        var pool = Pool("p", Bid(BidStatus.Open), Bid(BidStatus.Allocated), Bid(BidStatus.Paused), Bid(BidStatus.Paused, current: false));

        Assert.Equal(Plan(pool, 5).Actions, Plan(pool, 5).Actions);
    }

    [Fact]
    public void RandomScenarios_KeepBudgetMaxAgentsAndOneActionPerBid()
    {
        var random = new Random(11);
        var statuses = new[] { BidStatus.Open, BidStatus.Allocated, BidStatus.Preempting, BidStatus.Paused, BidStatus.Terminated, BidStatus.Unknown };
        for (var round = 0; round < 500; round++)
        {
            var bids = Enumerable.Range(0, random.Next(0, 12))
                .Select(_ => Bid(statuses[random.Next(statuses.Length)], current: random.Next(4) > 0, ageMinutes: random.Next(1, 100), limit: random.Next(1000, 4000), running: random.Next(3) > 0, openMinutes: random.Next(0, 20), allocatedMinutes: random.Next(0, 30)))
                .ToArray();
            var pool = Pool("p", bids) with { MaxAgents = random.Next(1, 10), SpotPriceCents = random.Next(1000, 3500) };
            var ceiling = random.Next(0, 2) == 0 ? (decimal?)null : random.Next(0, 400);
            var budget = Budget.LeftCents(ceiling, [pool]);
            var settings = Settings with { MaxSuspendedBids = random.Next(0, 4) };

            var plan = Plan(pool, random.Next(0, 12), budget is < 0 ? 0 : budget, settings);

            // Apply the plan the way the market would and check the invariants.
            var live = pool.Live.ToDictionary(b => b.Fid, b => b.LimitCents);
            foreach (var action in plan.Actions)
            {
                switch (action.Kind)
                {
                    case BidActionKind.Create:
                        live[Guid.NewGuid().ToString()] = pool.LimitCents;
                        break;
                    case BidActionKind.Resume:
                        live[action.BidFid!] = bids.Single(b => b.Fid == action.BidFid).LimitCents;
                        break;
                    default:
                        live.Remove(action.BidFid!);
                        break;
                }
            }

            var fids = plan.Actions.Where(a => a.BidFid is not null).Select(a => a.BidFid).ToList();
            Assert.Equal(fids.Count, fids.Distinct().Count());
            if (plan.Actions.Any(a => a.Kind is BidActionKind.Create or BidActionKind.Resume))
            {
                Assert.True(live.Count <= pool.MaxAgents, $"round {round}: {live.Count} live bids over max_agents {pool.MaxAgents}");
                if (ceiling is { } c)
                {
                    Assert.True(live.Values.Sum() <= c * 100, $"round {round}: {live.Values.Sum()} ¢/h over the ceiling {c * 100}");
                }
            }

            var paused = bids.Count(b => b.Status == BidStatus.Paused && b.IsCurrent) - plan.Actions.Count(a => a.Kind is BidActionKind.Resume || (a.Kind == BidActionKind.Cancel && bids.Any(b => b.Fid == a.BidFid && b.Status == BidStatus.Paused && b.IsCurrent))) + plan.Actions.Count(a => a.Kind == BidActionKind.Pause);
            Assert.True(paused <= settings.MaxSuspendedBids, $"round {round}: {paused} paused bids over max_suspended_bids {settings.MaxSuspendedBids}");
        }
    }
}
