namespace Etrid.Simulation.Hpa;

/// <summary>The parts of an <c>autoscaling/v2</c> HPA the model uses.</summary>
/// <param name="MinReplicas">Lower bound (0 only with the HPAScaleToZero gate).</param>
/// <param name="MaxReplicas">Upper bound.</param>
/// <param name="Metrics">External metrics; the largest proposal wins.</param>
/// <param name="Behavior">Null: the legacy path (scale-down stabilised over 300 s, scale-up capped at max(2 × current, 4)).</param>
/// <param name="Namespace">The HPA's namespace (matters only for authorization).</param>
public sealed record HpaSpec(int MinReplicas, int MaxReplicas, IReadOnlyList<HpaMetricSpec> Metrics, HpaBehavior? Behavior = null, string Namespace = "default")
{
    /// <summary>The global tolerance (<c>--horizontal-pod-autoscaler-tolerance</c>).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>The seed's HPA as shipped (spec §5 with the fixes): 2–100 replicas, 5 pending jobs per worker (AverageValue), 30 s wait (Value), the seed's behaviour.</summary>
    public static HpaSpec Seed(string @namespace = "etrid-ai-compute") => new(
        2,
        100,
        [
            new HpaMetricSpec("etrid_job_queue_depth", "pbc=ai-compute,status=pending", MetricTargetType.AverageValue, 5),
            new HpaMetricSpec("etrid_avg_job_wait_seconds", "pbc=ai-compute", MetricTargetType.Value, 30),
        ],
        HpaBehavior.Seed,
        @namespace);
}
