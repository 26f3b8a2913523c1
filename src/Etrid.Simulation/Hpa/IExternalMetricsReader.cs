namespace Etrid.Simulation.Hpa;

/// <summary>Reads an External metric as the HPA's metrics client does (a process boundary: the adapter over HTTP).</summary>
public interface IExternalMetricsReader
{
    /// <summary>Σ of the items' <c>MilliValue()</c>, or a failure (non-2xx, zero items, unparsable).</summary>
    Task<MetricReading> ReadAsync(string @namespace, string metricName, string? selector, CancellationToken cancellationToken);
}
