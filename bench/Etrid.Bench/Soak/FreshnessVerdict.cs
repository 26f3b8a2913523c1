namespace Etrid.Bench.Soak;

/// <summary>What one freshness check found (<see cref="FreshnessJudge"/>).</summary>
internal enum FreshnessVerdict
{
    /// <summary>The figures are within the staleness limit.</summary>
    Fresh,

    /// <summary>Older than the limit, not ready, in or just after an outage of every endpoint: the right answer.</summary>
    ExcusedByOutage,

    /// <summary>A violation: <c>/readyz</c> ok while the figures are older than the limit.</summary>
    ReadyOnStaleFigures,

    /// <summary>A violation: older than the limit while an endpoint served the chain.</summary>
    StaleWhileServed,
}
