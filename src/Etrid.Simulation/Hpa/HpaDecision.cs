namespace Etrid.Simulation.Hpa;

/// <summary>The outcome of one HPA sync: the replica count to set, each metric's proposal, and why.</summary>
/// <param name="CurrentReplicas">The replicas before this sync.</param>
/// <param name="DesiredReplicas">The replicas after it (equal to current when holding).</param>
/// <param name="Proposals">Each metric's proposal.</param>
/// <param name="Reason">Why: the limiting rule, or why the HPA holds.</param>
/// <param name="ScalingActive">False when metrics failed so that the HPA holds (<c>ScalingActive=False</c>).</param>
public sealed record HpaDecision(int CurrentReplicas, int DesiredReplicas, IReadOnlyList<MetricProposal> Proposals, string Reason, bool ScalingActive)
{
    /// <summary>The largest valid proposal before stabilisation and limits, or null.</summary>
    public int? MetricReplicas => Proposals.Where(p => p.IsValid).Select(p => p.Replicas).Max();
}
