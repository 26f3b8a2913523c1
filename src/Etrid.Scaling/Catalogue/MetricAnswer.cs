using Etrid.AiCompute.Snapshots;

namespace Etrid.Scaling.Catalogue;

/// <summary>The answer to one metric query: the matching items, or why there are none to give.</summary>
/// <param name="Outcome">Whether items may be served.</param>
/// <param name="MetricName">The metric's canonical (lower-case) name, or the name asked for when unknown.</param>
/// <param name="Message">An operator-readable message; for <see cref="MetricOutcome.Ok"/> just <c>ok</c>.</param>
/// <param name="Items">The items matching the selector (empty unless <see cref="MetricOutcome.Ok"/>).</param>
/// <param name="Snapshot">The snapshot the items come from, when there is one.</param>
public sealed record MetricAnswer(MetricOutcome Outcome, string MetricName, string Message, IReadOnlyList<MetricItem> Items, ChainSnapshot? Snapshot)
{
    /// <summary>Σ of the items' values, as the HPA and KEDA add them up.</summary>
    public double Sum => Items.Sum(i => i.Value);
}
