using Etrid.Burst.Market;

namespace Etrid.Burst.Policy;

/// <summary>
/// Turns a pool's target into bid actions (pure, level-triggered: the same input gives the same plan,
/// so a crash mid-way heals on the next tick). Order of concerns: cancel stale paused bids and nodes
/// that never came up (neither is capacity); then scale up (resume a current paused bid before creating
/// one, within <c>max_agents</c>, the price gate and the budget) or scale down (Open bids first, then stale
/// ones, then current ones paused up to <c>max_suspended_bids</c>, else cancelled; only nodes that have run
/// for <c>scale_down_after</c>); then trim paused bids beyond the limit. At most one action per bid.
/// </summary>
public static class PoolPlanner
{
    /// <summary>The plan for one pool; <paramref name="budgetLeftCents"/> is the hourly ceiling minus every live bid's limit (null = none).</summary>
    public static PoolPlan Plan(PoolInput pool, PoolTarget target, DateTimeOffset now, PlannerSettings settings, long? budgetLeftCents)
    {
        var actions = new List<BidAction>();
        var notes = new List<string>();
        var holds = new List<(string Code, string Reason)>();
        void Hold(string code, string note)
        {
            notes.Add(note);
            holds.Add((code, note));
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        void Act(BidActionKind kind, ObservedBid bid, string reason, string? code = null)
        {
            if (touched.Add(bid.Fid))
            {
                actions.Add(new BidAction(kind, bid.Fid, reason) { ReasonCode = code });
            }
        }

        // Bids of an older configuration never come back: their paused ones go on sight.
        foreach (var bid in pool.Bids.Where(b => b.Status == BidStatus.Paused && !b.IsCurrent).OrderBy(b => b.CreatedAt))
        {
            Act(BidActionKind.Cancel, bid, "paused bid of an older configuration", ReasonCodes.StaleConfig);
        }

        // A node billed without its worker ever starting must not live forever (it is not capacity: see Covering).
        foreach (var bid in pool.Dead(now))
        {
            Act(BidActionKind.Cancel, bid, "allocated but its instance never reached STATUS_RUNNING within kill_unknown_after", ReasonCodes.KillUnknown);
        }

        var notWinning = pool.NotWinning(now, settings.AllocationTimeout).Where(b => !touched.Contains(b.Fid)).ToList();
        if (!target.DemandReached)
        {
            // An Open bid costs nothing and keeps its place while demand lasts; without demand it goes.
            foreach (var bid in notWinning)
            {
                Act(BidActionKind.Cancel, bid, "not winning and demand is gone", ReasonCodes.AllocationTimeout);
            }
        }

        var covering = pool.Covering(now, settings.AllocationTimeout).Where(b => !touched.Contains(b.Fid)).ToList();
        var live = pool.Live.Count(b => !touched.Contains(b.Fid));
        var pausedCurrent = pool.Bids.Where(b => b.Status == BidStatus.Paused && b.IsCurrent).OrderByDescending(b => b.CreatedAt).ToList();
        var resumed = new HashSet<string>(StringComparer.Ordinal);
        var pausing = 0;
        var diff = target.TargetNodes - covering.Count;
        if (diff > 0)
        {
            var slots = pool.MaxAgents - live;
            if (target.BlockedReason is { } blocked)
            {
                Hold(pool.BlockedCode(now, settings.AllocationTimeout) ?? ReasonCodes.Backoff, $"{pool.PoolName}: {diff} node(s) wanted, none added: {blocked}");
            }
            else if (pool.PricedOut)
            {
                Hold(ReasonCodes.PriceAboveLimit, $"{pool.PoolName}: priced out");
            }
            else if (slots <= 0)
            {
                Hold(ReasonCodes.MaxAgents, $"{pool.PoolName}: max_agents ({pool.MaxAgents}) reached");
            }
            else
            {
                var n = Math.Min(diff, slots);
                foreach (var bid in pausedCurrent)
                {
                    if (n == 0)
                    {
                        break;
                    }

                    if (!Affordable(bid.LimitCents, ref budgetLeftCents))
                    {
                        Hold(ReasonCodes.Budget, $"{pool.PoolName}: max_hourly_spend_usd reached");
                        n = 0;
                        break;
                    }

                    Act(BidActionKind.Resume, bid, "scale up: resume a paused bid of the current configuration");
                    resumed.Add(bid.Fid);
                    n--;
                }

                for (; n > 0; n--)
                {
                    if (!Affordable(pool.LimitCents, ref budgetLeftCents))
                    {
                        Hold(ReasonCodes.Budget, $"{pool.PoolName}: max_hourly_spend_usd reached");
                        break;
                    }

                    actions.Add(new BidAction(BidActionKind.Create, null, "scale up: new bid"));
                }

                if (diff > slots)
                {
                    Hold(ReasonCodes.MaxAgents, $"{pool.PoolName}: max_agents ({pool.MaxAgents}) caps the scale-up");
                }
            }
        }
        else if (diff < 0)
        {
            // Only what may be released yet: a node that has not run scale_down_after (booting, just resumed, or
            // adopted by this process) stays, so no bid is placed and given back within that time.
            var victims = covering
                .Where(b => PoolInput.MayRelease(b, now, settings.MinimumRun))
                .OrderBy(b => b.Status == BidStatus.Open ? 0 : !b.IsCurrent ? 1 : 2)
                .ThenBy(b => b.InstanceRunning ? 1 : 0)
                .ThenByDescending(b => b.CreatedAt)
                .Take(-diff);
            foreach (var bid in victims)
            {
                if (bid.Status == BidStatus.Open)
                {
                    Act(BidActionKind.Cancel, bid, "scale down: open bid first");
                }
                else if (!bid.IsCurrent)
                {
                    Act(BidActionKind.Cancel, bid, "scale down: older configuration, cancelled rather than paused", ReasonCodes.StaleConfig);
                }
                else if (bid.Status == BidStatus.Allocated && pausedCurrent.Count + pausing < settings.MaxSuspendedBids)
                {
                    Act(BidActionKind.Pause, bid, "scale down: paused for a fast restart");
                    pausing++;
                }
                else
                {
                    Act(BidActionKind.Cancel, bid, "scale down: max_suspended_bids reached");
                }
            }
        }

        // Paused bids beyond the limit (after a restart or a lowered limit): the oldest go first.
        var kept = pausedCurrent.Where(b => !resumed.Contains(b.Fid)).ToList();
        var excess = kept.Count + pausing - settings.MaxSuspendedBids;
        foreach (var bid in kept.OrderBy(b => b.CreatedAt).Take(Math.Max(0, excess)))
        {
            Act(BidActionKind.Cancel, bid, "paused bids beyond max_suspended_bids", ReasonCodes.SuspendedLimit);
        }

        return new PoolPlan(actions, budgetLeftCents, notes) { Holds = holds };
    }

    private static bool Affordable(long cents, ref long? budgetLeftCents)
    {
        if (budgetLeftCents is not { } left)
        {
            return true;
        }

        if (cents > left)
        {
            return false;
        }

        budgetLeftCents = left - cents;
        return true;
    }
}
