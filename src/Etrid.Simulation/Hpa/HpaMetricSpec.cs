namespace Etrid.Simulation.Hpa;

/// <summary>One External metric of an HPA: name, label selector (rendered as the HPA sends it), target type and value.</summary>
public sealed record HpaMetricSpec(string MetricName, string? Selector, MetricTargetType TargetType, double Target)
{
    /// <summary>The target as the HPA holds it: a milli-quantity.</summary>
    public long TargetMilli => (long)Math.Ceiling(Target * 1000);
}
