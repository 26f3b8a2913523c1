namespace Etrid.Burst.Policy;

/// <summary>
/// Turns the gate's target into each pool's target (pure). Capacity stays where it is: only the difference
/// moves. Growth goes to the pools in configured order, each taking what it can (a pool that may not grow —
/// priced out, quota, back-off, bids not winning — is skipped and the rest falls to the next); a surplus leaves
/// from the least preferred pool first, only whole nodes that fit inside the surplus, only nodes that may be
/// released yet, and never below a pool's <c>min_agents</c>. Re-packing existing capacity into another pool is not
/// this class's business: a standing allocation is never shuffled to follow the preference order.
/// </summary>
public static class PoolDistributor
{
    /// <summary>Each pool's target, in the pools' order.</summary>
    /// <param name="targetGpus">The gate's target.</param>
    /// <param name="mode">Whether this tick may grow, shrink, or only keep what there is.</param>
    /// <param name="demandUnmet">Demand is above capacity (the queue still wants more than is covered).</param>
    /// <param name="pools">The pools as observed, in preference order.</param>
    /// <param name="now">Now.</param>
    /// <param name="settings">Allocation timeout and minimum run before a release.</param>
    public static IReadOnlyList<PoolTarget> Distribute(long targetGpus, DistributionMode mode, bool demandUnmet, IReadOnlyList<PoolInput> pools, DateTimeOffset now, PlannerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(settings);
        var timeout = settings.AllocationTimeout;
        var covering = pools.Select(p => p.Covering(now, timeout).ToList()).ToList();
        var nodes = covering.Select(c => c.Count).ToArray();
        var current = pools.Select((p, i) => (long)nodes[i] * Math.Max(1, p.GpusPerNode)).Sum();
        var blocked = pools.Select(p => p.BlockedReason(now, timeout)).ToArray();
        var asked = new bool[pools.Count];
        var released = false;

        if (mode == DistributionMode.Grow && targetGpus > current)
        {
            var remaining = targetGpus - current;
            for (var i = 0; i < pools.Count && remaining > 0; i++)
            {
                asked[i] = true;
                if (blocked[i] is not null)
                {
                    continue;
                }

                var g = Math.Max(1, pools[i].GpusPerNode);
                var room = Math.Max(0, pools[i].MaxAgents - pools[i].Live.Count());
                var add = (int)Math.Min(room, (remaining + g - 1) / g);
                nodes[i] += add;
                remaining -= (long)add * g;
            }
        }
        else if (mode == DistributionMode.Shrink && targetGpus < current)
        {
            var surplus = current - targetGpus;
            for (var i = pools.Count - 1; i >= 0 && surplus > 0; i--)
            {
                var g = Math.Max(1, pools[i].GpusPerNode);
                var releasable = covering[i].Count(b => PoolInput.MayRelease(b, now, settings.MinimumRun));
                var remove = (int)Math.Min(Math.Min(releasable, Math.Max(0, nodes[i] - pools[i].MinAgents)), surplus / g);
                nodes[i] -= remove;
                released |= remove > 0;
                surplus -= (long)remove * g;
            }
        }

        if (mode is DistributionMode.Grow or DistributionMode.Steady || (mode == DistributionMode.Shrink && !released))
        {
            // min_agents is a standing floor, topped up when the gate lets capacity grow or stands steady, or when a
            // scale-down finds no whole node to give back; never in a tick that releases, which would shuffle capacity.
            for (var i = 0; i < pools.Count; i++)
            {
                var room = Math.Max(0, pools[i].MaxAgents - (pools[i].Live.Count() - covering[i].Count));
                if (blocked[i] is null && nodes[i] < Math.Min(pools[i].MinAgents, room))
                {
                    nodes[i] = Math.Min(pools[i].MinAgents, room);
                }
            }
        }

        return pools.Select((p, i) => new PoolTarget(p.PoolName, nodes[i], demandUnmet, blocked[i]) { AskedToGrow = asked[i] }).ToList();
    }
}
