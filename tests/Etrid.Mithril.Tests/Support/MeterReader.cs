using System.Diagnostics.Metrics;

namespace Etrid.Mithril.Tests.Support;

/// <summary>One collection of the <c>Etrid.Burst</c> meter a host's factory created, through a plain <see cref="MeterListener"/>.</summary>
internal static class MeterReader
{
    public sealed record Reading(string Name, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Tag(string key) => Tags.GetValueOrDefault(key);
    }

    public static IReadOnlyList<Reading> Collect(IMeterFactory factory, string meterName = "Etrid.Burst")
    {
        var readings = new List<Reading>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dict = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                dict[tag.Key] = tag.Value?.ToString();
            }

            lock (readings)
            {
                readings.Add(new Reading(instrument.Name, value, dict));
            }
        }

        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        return readings;
    }
}
