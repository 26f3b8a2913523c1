using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Etrid.Scaling.Tests.Support;

/// <summary>Records the measurements of one host's meters (by the host's meter factory, so parallel tests do not mix).</summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeterRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var labels = string.Join(",", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            Measurements.Enqueue((instrument.Name, labels, value));
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var labels = string.Join(",", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            Doubles.Enqueue((instrument.Name, labels, value));
        });
        _listener.Start();
    }

    public ConcurrentQueue<(string Name, string Labels, long Value)> Measurements { get; } = new();

    /// <summary>Histogram and other floating-point measurements.</summary>
    public ConcurrentQueue<(string Name, string Labels, double Value)> Doubles { get; } = new();

    /// <summary>How many floating-point measurements (e.g. histogram observations) were recorded with exactly these labels.</summary>
    public int Count(string name, string labels) => Doubles.Count(m => m.Name == name && m.Labels == labels);

    public long Sum(string name, string labels) => Measurements.Where(m => m.Name == name && m.Labels == labels).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
