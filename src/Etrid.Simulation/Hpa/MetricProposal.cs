namespace Etrid.Simulation.Hpa;

/// <summary>What one metric proposes: a replica count, or invalid with the reason.</summary>
public sealed record MetricProposal(HpaMetricSpec Metric, long? UsageMilli, int? Replicas, string? Error)
{
    /// <summary>True when the metric could be read and proposes a count.</summary>
    public bool IsValid => Replicas is not null;
}
