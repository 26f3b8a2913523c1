namespace Etrid.Exporter.Status.History;

/// <summary>The <c>trend</c> member of each status document: what the open page appends to its charts.</summary>
/// <param name="Point">The newest point.</param>
/// <param name="Decisions">The last few decisions, oldest first.</param>
public sealed record TrendSection(TrendPoint Point, IReadOnlyList<TrendDecision> Decisions);
