namespace Etrid.AiCompute.Telemetry;

/// <summary>A metric family's Prometheus type.</summary>
public enum MetricKind
{
    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>A running total that never goes down (its name ends in <c>_total</c>).</summary>
    Counter,

    /// <summary>Observations in buckets, with their sum and count.</summary>
    Histogram,
}
