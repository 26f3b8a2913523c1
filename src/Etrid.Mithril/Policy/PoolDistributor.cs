namespace Etrid.Mithril.Policy;

/// <summary>
/// Spreads the target burst GPUs over the pools in configured order (pure): each pool takes what it
/// can; a pool that may not grow (priced out, quota, back-off, bids not winning) keeps what it has
/// and the rest falls to the next pool.
/// </summary>
public static class PoolDistributor
{
    /// <summary>Each pool's target, in the pools' order.</summary>
    public static IReadOnlyList<PoolTarget> Distribute(long targetGpus, IReadOnlyList<PoolInput> pools, DateTimeOffset now, TimeSpan allocationTimeout)
    {
        var remaining = Math.Max(0, targetGpus);
        var targets = new List<PoolTarget>(pools.Count);
        foreach (var pool in pools)
        {
            var g = Math.Max(1, pool.GpusPerNode);
            var want = (int)Math.Min(int.MaxValue, (remaining + g - 1) / g);
            var covering = pool.Covering(now, allocationTimeout).Count();
            var occupied = pool.Live.Count() - covering;
            var room = Math.Max(0, pool.MaxAgents - occupied);
            var blocked = pool.BlockedReason(now, allocationTimeout);
            var target = blocked is null ? Math.Min(want, room) : Math.Min(want, covering);
            target = Math.Max(target, Math.Min(pool.MinAgents, room));
            remaining = Math.Max(0, remaining - (long)target * g);
            targets.Add(new PoolTarget(pool.PoolName, target, want > 0, blocked));
        }

        return targets;
    }
}
