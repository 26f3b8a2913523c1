namespace Etrid.Simulation.Hpa;

/// <summary>An HPA's <c>behavior</c>; a direction left out takes Kubernetes' default.</summary>
public sealed record HpaBehavior(HpaScalingRules? ScaleUp = null, HpaScalingRules? ScaleDown = null)
{
    /// <summary>The seed's behaviour: up over a 60 s window by max(+50 %, +4) per 60 s; down after 300 s by min(−10 %, −1) per 60 s.</summary>
    public static HpaBehavior Seed { get; } = new(
        new HpaScalingRules(TimeSpan.FromSeconds(60), [new(ScalingPolicyType.Percent, 50, TimeSpan.FromSeconds(60)), new(ScalingPolicyType.Pods, 4, TimeSpan.FromSeconds(60))], SelectPolicy.Max),
        new HpaScalingRules(TimeSpan.FromSeconds(300), [new(ScalingPolicyType.Percent, 10, TimeSpan.FromSeconds(60)), new(ScalingPolicyType.Pods, 1, TimeSpan.FromSeconds(60))], SelectPolicy.Min));

    /// <summary>Scale-up rules in force.</summary>
    public HpaScalingRules Up => ScaleUp ?? HpaScalingRules.DefaultScaleUp;

    /// <summary>Scale-down rules in force.</summary>
    public HpaScalingRules Down => ScaleDown ?? HpaScalingRules.DefaultScaleDown;
}
