using System.Diagnostics.Metrics;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.Telemetry;
using Etrid.Substrate.Rpc;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// The /metrics exposition in two parts. The chain part (every figure of <see cref="ChainMetricCatalogue"/>) is
/// rendered once per snapshot and served from that buffer to every scrape. The self part (the meters of the host's
/// <see cref="IMeterFactory"/>, bridged by <see cref="MeterBridge"/>, and the process and runtime figures) changes
/// between snapshots: it is collected for each scrape, one collection at a time, and scrapes that waited for a
/// collection begun after they arrived share it.
/// </summary>
public sealed class ExporterMetrics : IDisposable
{
    private readonly IChainSnapshotSource _source;
    private readonly ChainExposition _chain;
    private readonly ChainTelemetry _chainTelemetry;
    private readonly ExporterTelemetry _exporterTelemetry;
    private readonly MeterBridge _bridge;
    private readonly SemaphoreSlim _collecting = new(1, 1);
    private readonly Collected?[] _collected = new Collected?[2];
    private long _collections;

    public ExporterMetrics(string pbc, IChainSnapshotSource source, RpcCallStats calls, ByteCounters bytes, TimeProvider time, IMeterFactory meterFactory, ILogger<ExporterMetrics>? logger = null)
    {
        _source = source;
        var resets = new ProviderSeriesResets((ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _chain = new ChainExposition(pbc);
        _chain.Rendering += resets.Check;
        Registry = Prometheus.Metrics.NewCustomRegistry();

        // Process and runtime figures (resident memory, GC, threads) beside the project's own.
        DotNetStats.Register(Registry);
        _bridge = new MeterBridge(Registry, meterFactory);
        _chainTelemetry = new ChainTelemetry(meterFactory, pbc, source, calls, bytes, time);
        _exporterTelemetry = new ExporterTelemetry(meterFactory, pbc, resets);
    }

    /// <summary>The prometheus-net registry of the self part (see <see cref="WriteAsync"/> for the exposition as a whole).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Writes the whole exposition in <paramref name="format"/>: the chain part, then the self part.</summary>
    public async Task WriteAsync(Stream destination, ExpositionFormat format = ExpositionFormat.PrometheusText, CancellationToken cancellationToken = default)
    {
        var (chain, self) = await RenderAsync(format, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(chain, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(self, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The two parts' bytes for one scrape (the self part ends the OpenMetrics exposition with its <c># EOF</c>).</summary>
    public async Task<(ReadOnlyMemory<byte> Chain, ReadOnlyMemory<byte> Self)> RenderAsync(ExpositionFormat format, CancellationToken cancellationToken = default)
    {
        var chain = _chain.Get(_source, format);
        var self = await CollectSelfAsync(format, cancellationToken).ConfigureAwait(false);
        return (chain, self);
    }

    /// <summary>Stops bridging the meters.</summary>
    public void Dispose()
    {
        _chainTelemetry.Dispose();
        _exporterTelemetry.Dispose();
        _bridge.Dispose();
        _collecting.Dispose();
    }

    private async Task<byte[]> CollectSelfAsync(ExpositionFormat format, CancellationToken cancellationToken)
    {
        var slot = format == ExpositionFormat.OpenMetricsText ? 1 : 0;
        var arrived = Interlocked.Read(ref _collections);
        await _collecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A collection begun after this scrape arrived is as current as one of its own.
            if (_collected[slot] is { } last && last.Number > arrived)
            {
                return last.Bytes;
            }

            var number = Interlocked.Increment(ref _collections);
            using var buffer = new MemoryStream(32 * 1024);
            await Registry.CollectAndExportAsTextAsync(buffer, format, cancellationToken).ConfigureAwait(false);
            var bytes = buffer.ToArray();
            _collected[slot] = new Collected(number, bytes);
            return bytes;
        }
        finally
        {
            _collecting.Release();
        }
    }

    private sealed record Collected(long Number, byte[] Bytes);
}
