using System.Buffers;
using System.Globalization;
using System.Text;
using Etrid.AiCompute.Telemetry;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Writes metric families in the text formats exactly as prometheus-net writes the same gauges and counters (a
/// test holds the two byte for byte), for families rendered from a snapshot rather than kept as prometheus-net
/// children: at 10,000 providers those would cost an object, label arrays and cached bytes per series.
/// </summary>
internal static class ExpositionText
{
    /// <summary>Writes <paramref name="metric"/>'s HELP and TYPE lines, then a line per series of <paramref name="samples"/>.</summary>
    public static void WriteFamily(IBufferWriter<byte> destination, ChainMetric metric, string pbc, IEnumerable<FigureSample> samples, ExpositionFormat format)
    {
        var declaration = metric.Declaration;
        var isCounter = declaration.Kind == MetricKind.Counter;

        // OpenMetrics names a counter's family without the _total of its samples.
        var family = format == ExpositionFormat.OpenMetricsText && isCounter ? declaration.Name[..^"_total".Length] : declaration.Name;
        Write(destination, $"# HELP {family} {declaration.Help}\n# TYPE {family} {(isCounter ? "counter" : "gauge")}\n");

        // "name{pbc=\"…\"," or "name{label=\"", shared by every series.
        var prefix = new StringBuilder(declaration.Name);
        if (metric.HasPbc || metric.Label is not null)
        {
            prefix.Append('{');
        }

        if (metric.HasPbc)
        {
            prefix.Append(ChainMetricCatalogue.PbcLabel).Append("=\"").Append(Escape(pbc)).Append('"');
            prefix.Append(metric.Label is null ? "}" : ",");
        }

        if (metric.Label is not null)
        {
            prefix.Append(metric.Label).Append("=\"");
        }

        var prefixBytes = Encoding.UTF8.GetBytes(prefix.ToString());
        foreach (var sample in samples)
        {
            var label = metric.Label is null ? string.Empty : sample.Label ?? string.Empty;
            var span = destination.GetSpan(prefixBytes.Length + (2 * Encoding.UTF8.GetMaxByteCount(label.Length)) + 64);
            prefixBytes.CopyTo(span);
            var written = prefixBytes.Length;
            if (metric.Label is not null)
            {
                written += WriteLabelValue(span[written..], label);
                "\"}"u8.CopyTo(span[written..]);
                written += 2;
            }

            span[written++] = (byte)' ';
            written += WriteValue(span[written..], sample.Value, format);
            span[written++] = (byte)'\n';
            destination.Advance(written);
        }
    }

    private static void Write(IBufferWriter<byte> destination, string text)
    {
        var span = destination.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        destination.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    // Label values escaped as the text formats require: backslash, double quote and line feed.
    private static int WriteLabelValue(Span<byte> destination, string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return Encoding.UTF8.GetBytes(value, destination);
        }

        return Encoding.UTF8.GetBytes(Escape(value), destination);
    }

    // Numbers as prometheus-net writes them: shortest round-trip ("g"); OpenMetrics spells 0, 1, -1,
    // the infinities and NaN canonically and gives other integral values a ".0".
    private static int WriteValue(Span<byte> destination, double value, ExpositionFormat format)
    {
        if (format == ExpositionFormat.OpenMetricsText)
        {
            ReadOnlySpan<byte> canonical = value switch
            {
                0 => "0.0"u8,
                1 => "1.0"u8,
                -1 => "-1.0"u8,
                double.PositiveInfinity => "+Inf"u8,
                double.NegativeInfinity => "-Inf"u8,
                double.NaN => "NaN"u8,
                _ => [],
            };
            if (!canonical.IsEmpty)
            {
                canonical.CopyTo(destination);
                return canonical.Length;
            }
        }

        if (!value.TryFormat(destination, out var written, "g", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"cannot format {value}");
        }

        if (format == ExpositionFormat.OpenMetricsText && destination[..written].IndexOfAny(".eE"u8) < 0)
        {
            ".0"u8.CopyTo(destination[written..]);
            written += 2;
        }

        return written;
    }
}
