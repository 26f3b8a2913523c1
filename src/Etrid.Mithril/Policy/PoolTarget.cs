namespace Etrid.Mithril.Policy;

/// <summary>A pool's share of the burst: covering nodes to aim for, whether demand reached it, and why it may not grow.</summary>
public sealed record PoolTarget(string PoolName, int TargetNodes, bool DemandReached, string? BlockedReason);
