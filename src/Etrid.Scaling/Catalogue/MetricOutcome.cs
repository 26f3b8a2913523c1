namespace Etrid.Scaling.Catalogue;

/// <summary>How a metric query ended; each interface maps it to its own error (HTTP status, gRPC code).</summary>
public enum MetricOutcome
{
    /// <summary>Items are available (possibly none matching the selector).</summary>
    Ok,

    /// <summary>No such metric.</summary>
    UnknownMetric,

    /// <summary>No snapshot, or the figures are not fresh: the reason comes from the snapshot source.</summary>
    Unavailable,

    /// <summary>A matching item has no valid quantity (NaN, infinite, negative, out of range).</summary>
    InvalidValue,
}
