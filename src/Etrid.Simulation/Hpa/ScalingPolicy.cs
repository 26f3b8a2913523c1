namespace Etrid.Simulation.Hpa;

/// <summary>One <c>behavior.*.policies[]</c> entry.</summary>
public sealed record ScalingPolicy(ScalingPolicyType Type, int Value, TimeSpan Period);
