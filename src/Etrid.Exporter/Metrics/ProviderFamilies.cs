using System.Buffers;
using System.Globalization;
using System.Text;
using Etrid.AiCompute.Figures;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Writes the three per-provider families (utilisation, jobs completed, earnings) straight from a
/// snapshot's provider list, in the text format prometheus-net writes for the same gauges and counter.
/// With one GPU a provider these are tens of thousands of series: as prometheus-net children each
/// costs an object, its label arrays, cached identifier bytes and a dictionary entry (about 15 MB at
/// 10,000 providers); rendered from the snapshot they cost nothing between scrapes.
/// </summary>
internal static class ProviderFamilies
{
    private const string AtFinalized = " Taken at the last finalized block.";

    private static readonly Family Utilization = new(
        "etrid_gpu_utilization_percent",
        "Processing jobs on the provider's Active GPUs per Active GPU, in percent (not clamped)." + AtFinalized,
        IsCounter: false,
        p => p.UtilizationPercent);

    private static readonly Family JobsCompleted = new(
        "etrid_gpu_jobs_completed_total",
        "Jobs completed (or completed and then disputed) on the provider's GPUs." + AtFinalized,
        IsCounter: true,
        p => p.JobsCompleted);

    private static readonly Family Earnings = new(
        "etrid_gpu_earnings_total_edsc",
        "Payments less the runtime's platform fee for the provider's completed jobs, in EDSC; never decreases (a gauge only because the name lacks the _total suffix)." + AtFinalized,
        IsCounter: false,
        p => p.EarningsEdsc);

    // After the three above: static fields are initialised in textual order.
    private static readonly Family[] All = [Utilization, JobsCompleted, Earnings];

    // A scrape is written in chunks of this size; a line never spans two chunks.
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Writes the three families (their HELP and TYPE even without providers, as prometheus-net does).</summary>
    public static async Task WriteAsync(Stream destination, IReadOnlyList<ProviderFigures> providers, ExpositionFormat format, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var family in All)
            {
                var length = family.WriteDeclaration(buffer, format);
                foreach (var provider in providers)
                {
                    var longest = family.SampleBytes.Length + MaxLabelValueBytes(provider.Address) + 64;
                    if (length + longest > buffer.Length)
                    {
                        await destination.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                        length = 0;
                        if (longest > buffer.Length)
                        {
                            // Only an absurdly long address gets here: a buffer of its own.
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(longest);
                        }
                    }

                    length += family.WriteSample(buffer.AsSpan(length), provider, format);
                }

                await destination.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int MaxLabelValueBytes(string value) => 2 * Encoding.UTF8.GetMaxByteCount(value.Length);

    // Label values escaped as the text formats require: backslash, double quote and line feed.
    private static int WriteLabelValue(Span<byte> destination, string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return Encoding.UTF8.GetBytes(value, destination);
        }

        var written = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            ReadOnlySpan<byte> escaped = rune.Value switch
            {
                '\\' => "\\\\"u8,
                '"' => "\\\""u8,
                '\n' => "\\n"u8,
                _ => [],
            };
            if (escaped.IsEmpty)
            {
                written += rune.EncodeToUtf8(destination[written..]);
            }
            else
            {
                escaped.CopyTo(destination[written..]);
                written += escaped.Length;
            }
        }

        return written;
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

    private sealed record Family(string Name, string Help, bool IsCounter, Func<ProviderFigures, double> Value)
    {
        // "name{provider=\"", shared by both formats.
        public byte[] SampleBytes { get; } = Encoding.UTF8.GetBytes(Name + "{provider=\"");

        private byte[] TextDeclaration { get; } = Declaration(Name, Help, IsCounter);

        // OpenMetrics names a counter's family without the _total of its samples.
        private byte[] OpenMetricsDeclaration { get; } = Declaration(IsCounter ? Name[..^"_total".Length] : Name, Help, IsCounter);

        public int WriteDeclaration(Span<byte> destination, ExpositionFormat format)
        {
            var declaration = format == ExpositionFormat.OpenMetricsText ? OpenMetricsDeclaration : TextDeclaration;
            declaration.CopyTo(destination);
            return declaration.Length;
        }

        public int WriteSample(Span<byte> destination, ProviderFigures provider, ExpositionFormat format)
        {
            SampleBytes.CopyTo(destination);
            var written = SampleBytes.Length;
            written += WriteLabelValue(destination[written..], provider.Address);
            "\"} "u8.CopyTo(destination[written..]);
            written += 3;
            written += WriteValue(destination[written..], Value(provider), format);
            destination[written++] = (byte)'\n';
            return written;
        }

        private static byte[] Declaration(string name, string help, bool isCounter) =>
            Encoding.UTF8.GetBytes($"# HELP {name} {help}\n# TYPE {name} {(isCounter ? "counter" : "gauge")}\n");
    }
}
