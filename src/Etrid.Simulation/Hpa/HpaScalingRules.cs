namespace Etrid.Simulation.Hpa;

/// <summary>One direction of <c>behavior</c>: stabilisation window, policies and how they combine.</summary>
public sealed record HpaScalingRules(TimeSpan StabilizationWindow, IReadOnlyList<ScalingPolicy> Policies, SelectPolicy Select = SelectPolicy.Max)
{
    /// <summary>Kubernetes' scale-up default: no window; max(4 pods, 100 %) per 15 s.</summary>
    public static HpaScalingRules DefaultScaleUp { get; } = new(TimeSpan.Zero, [new(ScalingPolicyType.Pods, 4, TimeSpan.FromSeconds(15)), new(ScalingPolicyType.Percent, 100, TimeSpan.FromSeconds(15))]);

    /// <summary>Kubernetes' scale-down default: 300 s window; 100 % per 15 s.</summary>
    public static HpaScalingRules DefaultScaleDown { get; } = new(TimeSpan.FromSeconds(300), [new(ScalingPolicyType.Percent, 100, TimeSpan.FromSeconds(15))]);
}
