using Etrid.Mithril.Policy;

namespace Etrid.Mithril.Control;

/// <summary>One reconcile tick: the gate's decision, each pool's target and actions (done or, in dry-run, only planned), notes and failures.</summary>
public sealed record TickReport(
    DateTimeOffset At,
    GateDecision Gate,
    IReadOnlyList<PoolTarget> Targets,
    IReadOnlyList<(string Pool, BidAction Action)> Actions,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Failures,
    bool DryRun);
