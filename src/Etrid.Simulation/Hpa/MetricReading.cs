namespace Etrid.Simulation.Hpa;

/// <summary>One read of an External metric: the items' milli-values summed, or why the read failed.</summary>
public sealed record MetricReading(long? UsageMilli, string? Error)
{
    /// <summary>A successful read.</summary>
    public static MetricReading Of(long usageMilli) => new(usageMilli, null);

    /// <summary>A failed read (the HPA marks the metric invalid).</summary>
    public static MetricReading Failed(string error) => new(null, error);
}
