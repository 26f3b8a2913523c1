namespace Etrid.Exporter.Status.History;

/// <summary><c>/status/history</c> (snake_case in JSON): the points and decisions held, oldest first.</summary>
/// <param name="WindowSeconds">How far back the history reaches from its newest point.</param>
/// <param name="MinSpacingSeconds">The shortest gap between two points.</param>
/// <param name="Capacity">The most points held.</param>
/// <param name="Points">One per snapshot.</param>
/// <param name="Decisions">The burst decisions that acted.</param>
public sealed record HistoryDocument(double WindowSeconds, double MinSpacingSeconds, int Capacity, IReadOnlyList<TrendPoint> Points, IReadOnlyList<TrendDecision> Decisions);
