using System.Buffers;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.Telemetry;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// The chain part of /metrics: every family of <see cref="ChainMetricCatalogue"/>, rendered once per snapshot and
/// format and then served from that buffer by every scrape until the next snapshot. Before the first snapshot the
/// families are declared without series, as prometheus-net declares a family without children.
/// </summary>
internal sealed class ChainExposition(string pbc)
{
    private readonly Lock _gate = new();
    private Rendered _rendered = new(null, null, null);

    /// <summary>Raised once for each snapshot the first time it is rendered (the series-reset check hangs here).</summary>
    public event Action<ChainSnapshot>? Rendering;

    /// <summary>The chain part for the source's current snapshot in <paramref name="format"/>; rendered at most once each.</summary>
    public ReadOnlyMemory<byte> Get(IChainSnapshotSource source, ExpositionFormat format)
    {
        var rendered = Volatile.Read(ref _rendered);
        if (ReferenceEquals(rendered.Snapshot, source.Current) && rendered.Of(format) is { } ready)
        {
            return ready;
        }

        // One rendering at a time: scrapes that arrive meanwhile wait for it rather than rendering it again. The
        // snapshot is read again inside, so snapshots are rendered in the order they were published.
        lock (_gate)
        {
            var snapshot = source.Current;
            rendered = _rendered;
            if (!ReferenceEquals(rendered.Snapshot, snapshot))
            {
                if (snapshot is not null)
                {
                    Rendering?.Invoke(snapshot);
                }

                rendered = new Rendered(snapshot, null, null);
            }

            if (rendered.Of(format) is { } existing)
            {
                return existing;
            }

            var bytes = Render(snapshot, format);
            rendered = format == ExpositionFormat.OpenMetricsText ? rendered with { OpenMetrics = bytes } : rendered with { Text = bytes };
            Volatile.Write(ref _rendered, rendered);
            return bytes;
        }
    }

    private byte[] Render(ChainSnapshot? snapshot, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>(snapshot is null ? 4096 : 64 * 1024 + (snapshot.Figures.Providers.Count * 256));
        foreach (var metric in ChainMetricCatalogue.All)
        {
            ExpositionText.WriteFamily(buffer, metric, pbc, snapshot is null ? [] : metric.Read(snapshot), format);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Rendered(ChainSnapshot? Snapshot, byte[]? Text, byte[]? OpenMetrics)
    {
        public byte[]? Of(ExpositionFormat format) => format == ExpositionFormat.OpenMetricsText ? OpenMetrics : Text;
    }
}
