using System.Diagnostics.Metrics;

namespace Etrid.AiCompute.Telemetry;

/// <summary>
/// Creates System.Diagnostics.Metrics instruments from their <see cref="MetricDeclaration"/>, so the name, the
/// help text and the type are spelled only in the declaration (the host bridges every instrument into /metrics).
/// </summary>
public static class DeclaredInstruments
{
    /// <summary>A counter incremented by the caller.</summary>
    public static Counter<T> CreateCounter<T>(this Meter meter, MetricDeclaration declaration)
        where T : struct => meter.CreateCounter<T>(Checked(declaration, MetricKind.Counter).Name, declaration.Unit, declaration.Help);

    /// <summary>A gauge moved up and down by the caller.</summary>
    public static UpDownCounter<T> CreateUpDownCounter<T>(this Meter meter, MetricDeclaration declaration)
        where T : struct => meter.CreateUpDownCounter<T>(Checked(declaration, MetricKind.Gauge).Name, declaration.Unit, declaration.Help);

    /// <summary>A histogram of the caller's observations.</summary>
    public static Histogram<T> CreateHistogram<T>(this Meter meter, MetricDeclaration declaration)
        where T : struct => meter.CreateHistogram<T>(Checked(declaration, MetricKind.Histogram).Name, declaration.Unit, declaration.Help);

    /// <summary>A gauge read at every collection.</summary>
    public static ObservableGauge<T> CreateObservableGauge<T>(this Meter meter, MetricDeclaration declaration, Func<IEnumerable<Measurement<T>>> observe)
        where T : struct => meter.CreateObservableGauge(Checked(declaration, MetricKind.Gauge).Name, observe, declaration.Unit, declaration.Help);

    /// <summary>A running total read at every collection.</summary>
    public static ObservableCounter<T> CreateObservableCounter<T>(this Meter meter, MetricDeclaration declaration, Func<IEnumerable<Measurement<T>>> observe)
        where T : struct => meter.CreateObservableCounter(Checked(declaration, MetricKind.Counter).Name, observe, declaration.Unit, declaration.Help);

    /// <summary>One measurement whose tags are <paramref name="declaration"/>'s labels, in order, with <paramref name="values"/>.</summary>
    public static Measurement<T> Measure<T>(this MetricDeclaration declaration, T value, params ReadOnlySpan<string> values)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(declaration);
        if (values.Length != declaration.Labels.Count)
        {
            throw new ArgumentException($"{declaration.Name} has {declaration.Labels.Count} labels, given {values.Length} values", nameof(values));
        }

        if (values.Length == 0)
        {
            return new Measurement<T>(value);
        }

        var tags = new KeyValuePair<string, object?>[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            tags[i] = new(declaration.Labels[i], values[i]);
        }

        return new Measurement<T>(value, tags);
    }

    private static MetricDeclaration Checked(MetricDeclaration declaration, MetricKind kind)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        return declaration.Kind == kind ? declaration : throw new ArgumentException($"{declaration.Name} is declared a {declaration.Kind}, not a {kind}", nameof(declaration));
    }
}
