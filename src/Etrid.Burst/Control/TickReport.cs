using Etrid.Burst.Policy;

namespace Etrid.Burst.Control;

/// <summary>One reconcile tick: the gate's decision, each pool's target and actions (done or, in dry-run, only planned), notes and failures.</summary>
public sealed record TickReport(
    DateTimeOffset At,
    GateDecision Gate,
    IReadOnlyList<PoolTarget> Targets,
    IReadOnlyList<(string Pool, BidAction Action)> Actions,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Failures,
    bool DryRun)
{
    /// <summary>Each pool as observed this tick (empty when the tick held before observing all).</summary>
    public IReadOnlyList<PoolInput> Pools { get; init; } = [];

    /// <summary>What was held back and why (pool null for the whole tick), with a bounded code.</summary>
    public IReadOnlyList<(string? Pool, string Code, string Reason)> Holds { get; init; } = [];

    /// <summary>Burst GPUs the demand asks for this tick (before the gate).</summary>
    public long DesiredGpus { get; init; }

    /// <summary>Burst GPUs covered by live bids this tick.</summary>
    public long CurrentGpus { get; init; }
}
