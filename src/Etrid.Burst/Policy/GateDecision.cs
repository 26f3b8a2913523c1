namespace Etrid.Burst.Policy;

/// <summary>The gate's answer: the burst GPUs to aim for this tick, why, and the state to keep.</summary>
public sealed record GateDecision(long TargetGpus, string Reason, GateState State)
{
    /// <summary>A bounded code for <see cref="Reason"/> (<see cref="ReasonCodes"/>).</summary>
    public string Code { get; init; } = ReasonCodes.Steady;
}
