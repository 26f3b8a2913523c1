using Etrid.Burst.Market;

namespace Etrid.Burst.Policy;

/// <summary>
/// Chooses one make-before-break move of a running node to a cheaper pool (pure): the node must be releasable
/// (it has run <c>scale_down_after</c>), the other pool must be able to grow (not blocked, below <c>max_agents</c>,
/// a node at least as large) with its limit fitting the budget while both are alive, and the spot saving over
/// <c>scale_down_after</c> must exceed the threshold. The largest saving wins; none is null.
/// </summary>
public static class Rebalancer
{
    /// <summary>The move worth making now, or null.</summary>
    public static RebalanceMove? Choose(IReadOnlyList<PoolInput> pools, DateTimeOffset now, PlannerSettings settings, long? budgetLeftCents, decimal minimumSavingUsd)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(settings);
        RebalanceMove? best = null;
        for (var from = 0; from < pools.Count; from++)
        {
            if (pools[from].SpotPriceCents is not { } fromSpot)
            {
                continue;
            }

            var covering = pools[from].Covering(now, settings.AllocationTimeout).ToList();
            var node = covering
                .Where(b => b.Status == BidStatus.Allocated && b.InstanceRunning && PoolInput.MayRelease(b, now, settings.MinimumRun))
                .OrderBy(b => b.CreatedAt)
                .FirstOrDefault();

            // A move never takes a pool below its min_agents floor (the floor would be topped up again, and moved again).
            if (node is null || covering.Count <= pools[from].MinAgents)
            {
                continue;
            }

            for (var to = 0; to < pools.Count; to++)
            {
                var target = pools[to];
                if (to == from || target.SpotPriceCents is not { } toSpot || target.BlockedReason(now, settings.AllocationTimeout) is not null
                    || target.GpusPerNode < pools[from].GpusPerNode || target.Live.Count() >= target.MaxAgents
                    || budgetLeftCents is { } left && target.LimitCents > left)
                {
                    continue;
                }

                var saving = (fromSpot - toSpot) / 100m * (decimal)settings.MinimumRun.TotalHours;
                if (saving > minimumSavingUsd && (best is null || saving > best.SavingUsd))
                {
                    best = new RebalanceMove(from, node.Fid, to, saving);
                }
            }
        }

        return best;
    }
}
