namespace Etrid.Burst.Policy;

/// <summary>
/// A pool's share of the burst: covering nodes to aim for, whether demand is above capacity (a not-winning
/// Open bid keeps its place only while it is), and why the pool may not grow.
/// </summary>
public sealed record PoolTarget(string PoolName, int TargetNodes, bool DemandReached, string? BlockedReason)
{
    /// <summary>Growth reached this pool this tick (so a pool that may not grow is reported as skipped).</summary>
    public bool AskedToGrow { get; init; }
}
