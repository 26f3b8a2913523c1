using System.Diagnostics.Metrics;
using Etrid.AiCompute.Telemetry;

namespace Etrid.Exporter.Metrics;

/// <summary>The exporter's own self-metrics (meter <c>Etrid.Exporter</c>): its build, its memory and the per-provider series it reset.</summary>
internal sealed class ExporterTelemetry : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Exporter";

    public static readonly MetricDeclaration SeriesResets = new("etrid_exporter_provider_series_resets_total", MetricKind.Counter, "Per-provider series reset because the chain's own total went down (a re-org under finality: best).", [ChainMetricCatalogue.PbcLabel]);
    public static readonly MetricDeclaration GcCommitted = new("etrid_exporter_gc_committed_bytes", MetricKind.Gauge, "Memory the .NET garbage collector has committed (live objects, free space and bookkeeping).", []);
    public static readonly MetricDeclaration BuildInfo = new("etrid_exporter_build_info", MetricKind.Gauge, "Build of the exporter; the value is always 1.", ["version"]);

    private readonly Meter _meter;

    public ExporterTelemetry(IMeterFactory meterFactory, string pbc, ProviderSeriesResets resets)
    {
        _meter = meterFactory.Create(MeterName);
        var version = typeof(ExporterTelemetry).Assembly.GetName().Version?.ToString() ?? "unknown";
        _meter.CreateObservableCounter(SeriesResets, () => new[] { SeriesResets.Measure(resets.Count, pbc) });
        _meter.CreateObservableGauge(GcCommitted, () => new[] { GcCommitted.Measure(GC.GetGCMemoryInfo().TotalCommittedBytes) });
        _meter.CreateObservableGauge(BuildInfo, () => new[] { BuildInfo.Measure(1, version) });
    }

    public void Dispose() => _meter.Dispose();
}
