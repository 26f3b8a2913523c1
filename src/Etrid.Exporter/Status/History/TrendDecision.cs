namespace Etrid.Exporter.Status.History;

/// <summary>A burst decision that acted (create, resume, pause, cancel) marked on the charts' time axis.</summary>
/// <param name="Seq">Increases by one per recorded decision.</param>
/// <param name="At">When it was decided.</param>
/// <param name="Pool">The pool, or null for the whole controller.</param>
/// <param name="Action">What was done.</param>
/// <param name="Bid">The bid acted on, if any.</param>
/// <param name="ReasonCode">The bounded reason code.</param>
/// <param name="Reason">The reason in words (cut to <see cref="StatusHistory.MaxTextLength"/> characters).</param>
public sealed record TrendDecision(long Seq, DateTimeOffset At, string? Pool, string Action, string? Bid, string ReasonCode, string Reason);
