using System.Diagnostics.Metrics;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Exports the project's own System.Diagnostics.Metrics instruments (meters named <c>Etrid.*</c> created by the host's
/// <see cref="IMeterFactory"/>: the chain's, the exporter's, the scaling interfaces' and the burst controller's
/// self-metrics) into the prometheus-net registry under their own names, as real counters and gauges: the one way a
/// self-metric reaches /metrics. Meters of another factory (another host in the same process) are not bridged. prometheus-net's MeterAdapter prefixes names with the meter and turns every
/// counter into a gauge, which would break the documented names and <c>rate()</c>.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;

    public MeterBridge(CollectorRegistry registry, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name.StartsWith("Etrid.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>((i, m, t, s) => OnMeasurement(i, m, t, s));
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();

        // Observable instruments (gauges of the burst controller's state, totals kept elsewhere) are read at scrape time.
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct
    {
        // Label names in a fixed order: a measurement's tags come unordered.
        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        var names = sorted.Select(t => t.Key).ToArray();
        var values = sorted.Select(t => t.Value switch
        {
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            { } o => o.ToString() ?? string.Empty,
            null => string.Empty,
        }).ToArray();
        var value = Convert.ToDouble(measurement, System.Globalization.CultureInfo.InvariantCulture);
        var help = instrument.Description ?? instrument.Name;
        switch (instrument)
        {
            case Counter<T>:
                _factory.CreateCounter(instrument.Name, help, names).WithLabels(values).Inc(value);
                break;
            case UpDownCounter<T>:
                _factory.CreateGauge(instrument.Name, help, names).WithLabels(values).Inc(value);
                break;
            case Histogram<T>:
                _factory.CreateHistogram(instrument.Name, help, names).WithLabels(values).Observe(value);
                break;
            case ObservableCounter<T>:
                // An observable counter reports its running total.
                _factory.CreateCounter(instrument.Name, help, names).WithLabels(values).IncTo(value);
                break;
            case ObservableGauge<T> or ObservableUpDownCounter<T>:
                _factory.CreateGauge(instrument.Name, help, names).WithLabels(values).Set(value);
                break;
            default:
                break;
        }
    }
}
