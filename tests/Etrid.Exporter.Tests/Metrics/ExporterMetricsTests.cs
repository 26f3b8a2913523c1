using System.Text;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Tests.Support;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Etrid.Exporter.Tests.Metrics;

public class ExporterMetricsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ChainSnapshotHub _store;
    private readonly RpcCallStats _calls = new();

    public ExporterMetricsTests()
    {
        _store = new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time);
        _store.UpdateHealth(h => h with { Connected = true });
    }

    private ChainSnapshot Snapshot(uint block, params ProviderFigures[] providers) => new(block, "0x01", 1, _time.GetUtcNow(), new ChainFigures(
        new Dictionary<JobStatus, long> { [JobStatus.Pending] = 7, [JobStatus.Processing] = 2, [JobStatus.Completed] = 30, [JobStatus.Failed] = 1, [JobStatus.Disputed] = 0, [JobStatus.Cancelled] = 3 },
        12.5,
        double.NaN,
        providers,
        new Dictionary<GpuStatus, long> { [GpuStatus.Active] = 4, [GpuStatus.Paused] = 1, [GpuStatus.Offline] = 0, [GpuStatus.Slashed] = 0 },
        2.25,
        7,
        0));

    private static async Task<string> ScrapeAsync(ExporterMetrics metrics, ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, format);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The exposition cut into families: the text from one "# HELP" line to the next, by the family's name.
    private static Dictionary<string, string> Families(string text)
    {
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var blocks = text.Replace("# EOF\n", string.Empty, StringComparison.Ordinal).Split("# HELP ", StringSplitOptions.RemoveEmptyEntries);
        foreach (var block in blocks)
        {
            families.Add(block[..block.IndexOf(' ', StringComparison.Ordinal)], "# HELP " + block);
        }

        return families;
    }

    // The three per-provider families written by prometheus-net itself, as the exporter once kept them.
    private static async Task<string> PrometheusNetProviderFamiliesAsync(IEnumerable<ProviderFigures> providers, ExpositionFormat format)
    {
        const string at = " Taken at the last finalized block.";
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        var utilization = f.CreateGauge("etrid_gpu_utilization_percent", "Processing jobs on the provider's Active GPUs per Active GPU, in percent (not clamped)." + at, "provider");
        var completed = f.CreateCounter("etrid_gpu_jobs_completed_total", "Jobs completed (or completed and then disputed) on the provider's GPUs." + at, "provider");
        var earnings = f.CreateGauge("etrid_gpu_earnings_total_edsc", "Payments less the runtime's platform fee for the provider's completed jobs, in EDSC; never decreases (a gauge only because the name lacks the _total suffix)." + at, "provider");
        foreach (var p in providers)
        {
            utilization.WithLabels(p.Address).Set(p.UtilizationPercent);
            completed.WithLabels(p.Address).IncTo(p.JobsCompleted);
            earnings.WithLabels(p.Address).Set(p.EarningsEdsc);
        }

        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, format);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private ExporterMetrics NewMetrics() => new("ai-compute", _store, _calls, new ByteCounters(), _time);

    [Fact]
    public async Task Figures_AppearWithTheSeedsNamesAndLabels()
    {
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 100, LastFinalizedAt = _time.GetUtcNow() });
        _store.Publish(Snapshot(100, new ProviderFigures("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", 2, 2, 1, 50, 9, 8.55)));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"} 7", text, StringComparison.Ordinal);
        Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"assigned\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("etrid_avg_job_wait_seconds{pbc=\"ai-compute\"} 12.5", text, StringComparison.Ordinal);
        Assert.Contains("etrid_avg_job_duration_seconds{pbc=\"ai-compute\"} NaN", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_utilization_percent{provider=\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"} 50", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"} 9", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_earnings_total_edsc{provider=\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"} 8.55", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpus{pbc=\"ai-compute\",status=\"active\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# HELP etrid_job_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("Taken at the last finalized block.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TotalsThatGoDown_ResetTheSeriesExplicitly_AndCountTheReset()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 5, 5)));
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5A\"} 5", await ScrapeAsync(metrics), StringComparison.Ordinal);

        // A re-org under finality: best takes two completions back.
        _store.Publish(Snapshot(2, new ProviderFigures("5A", 1, 1, 0, 0, 3, 3)));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5A\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_earnings_total_edsc{provider=\"5A\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("etrid_exporter_provider_series_resets_total{pbc=\"ai-compute\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderThatLeaves_LeavesMetrics()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1), new ProviderFigures("5B", 1, 1, 0, 0, 1, 1)));
        Assert.Contains("provider=\"5B\"", await ScrapeAsync(metrics), StringComparison.Ordinal);
        _store.Publish(Snapshot(2, new ProviderFigures("5A", 1, 1, 0, 0, 2, 2)));
        var text = await ScrapeAsync(metrics);
        Assert.DoesNotContain("provider=\"5B\"", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5A\"} 2", text, StringComparison.Ordinal);
    }

    // Issue items 4-6: a lagging or misbehaving node is visible in etrid_chain_*, and chain_up drops while it is not believed.
    [Fact]
    public async Task ANodeBehindOrNotBelieved_ShowsInTheChainFamilies()
    {
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 212, LastFinalizedAt = _time.GetUtcNow(), EndpointLagBlocks = 30 });
        _store.Publish(Snapshot(212));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_chain_endpoint_lag_blocks{pbc=\"ai-compute\"} 30", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_endpoint_believed{pbc=\"ai-compute\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_finalized_block{pbc=\"ai-compute\"} 212", text, StringComparison.Ordinal);

        _store.UpdateHealth(h => h with { EndpointLagBlocks = 0, EndpointProblem = "ws://node sent an implausible head: block 1454914 …", EndpointProblems = 3000 });
        text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_chain_endpoint_lag_blocks{pbc=\"ai-compute\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_endpoint_believed{pbc=\"ai-compute\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_endpoint_problems_total{pbc=\"ai-compute\"} 3000", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleFigures_SetUpToZero()
    {
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 100, LastFinalizedAt = _time.GetUtcNow() });
        _store.Publish(Snapshot(100));
        _time.Advance(TimeSpan.FromMinutes(5));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_seconds_since_finalized_block{pbc=\"ai-compute\"} 300", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exposition_PassesPromtool()
    {
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 100, LastFinalizedAt = _time.GetUtcNow() });
        _calls.RecordCall("state_queryStorageAt", 0.01, failed: true);
        _store.Publish(Snapshot(100, new ProviderFigures("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", 2, 2, 1, 50, 9, 8.55)));
        var (exitCode, output) = await Promtool.CheckMetricsAsync(await ScrapeAsync(metrics));
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool ({exitCode}): {output}");
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetricsText)]
    public async Task ProviderFamilies_AreByteForByteWhatPrometheusNetWritesForTheSameSeries(ExpositionFormat format)
    {
        ProviderFigures[] providers =
        [
            new("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", 2, 2, 1, 50, 9, 8.55),
            new("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", 1, 1, 1, 100, 1, 1),
            new("5Idle", 1, 0, 0, 0, 0, 0),
            new("5Big", 3, 3, 2, 66.66666666666667, 123_456_789_012, 0.1 + 0.2),
            new("odd \"quoted\" \\ label\nvalue", 1, 1, 0, 12.5, 7, 1e-7),
        ];
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, providers));
        var ours = Families(await ScrapeAsync(metrics, format));
        var reference = Families(await PrometheusNetProviderFamiliesAsync(providers, format));
        Assert.Equal(3, reference.Count);
        foreach (var (name, block) in reference)
        {
            Assert.Equal(block, ours[name]);
        }
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetricsText)]
    public async Task ProviderFamilies_WithoutProviders_AreDeclaredAsPrometheusNetDeclaresThem(ExpositionFormat format)
    {
        var metrics = NewMetrics();
        var before = Families(await ScrapeAsync(metrics, format));
        _store.Publish(Snapshot(1));
        var after = Families(await ScrapeAsync(metrics, format));
        var reference = Families(await PrometheusNetProviderFamiliesAsync([], format));
        foreach (var (name, block) in reference)
        {
            Assert.Equal(block, before[name]);
            Assert.Equal(block, after[name]);
        }
    }

    [Fact]
    public async Task OpenMetrics_EndsWithOneEof_AfterEveryFamily()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1)));
        var text = await ScrapeAsync(metrics, ExpositionFormat.OpenMetricsText);
        Assert.EndsWith("\n# EOF\n", text, StringComparison.Ordinal);
        Assert.Equal(text.Length - "# EOF\n".Length, text.IndexOf("# EOF", StringComparison.Ordinal));
        Assert.Contains("# TYPE etrid_gpu_jobs_completed counter\netrid_gpu_jobs_completed_total{provider=\"5A\"} 1.0\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"} 7.0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATotalThatGoesDownOnlyOnce_CountsOneReset_AndLaterGrowthNone()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 5, 5), new ProviderFigures("5B", 1, 1, 0, 0, 2, 2)));
        await ScrapeAsync(metrics);
        _store.Publish(Snapshot(2, new ProviderFigures("5A", 1, 1, 0, 0, 5, 4.5), new ProviderFigures("5B", 1, 1, 0, 0, 3, 3)));
        await ScrapeAsync(metrics);
        _store.Publish(Snapshot(3, new ProviderFigures("5A", 1, 1, 0, 0, 6, 5), new ProviderFigures("5B", 1, 1, 0, 0, 4, 4)));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_exporter_provider_series_resets_total{pbc=\"ai-compute\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_earnings_total_edsc{provider=\"5A\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5B\"} 4\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderThatLeavesAndComesBackLower_IsNotAReset()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1), new ProviderFigures("5B", 1, 1, 0, 0, 9, 9)));
        await ScrapeAsync(metrics);
        _store.Publish(Snapshot(2, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1)));
        await ScrapeAsync(metrics);
        _store.Publish(Snapshot(3, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1), new ProviderFigures("5B", 1, 1, 0, 0, 3, 3)));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5B\"} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("etrid_exporter_provider_series_resets_total{pbc=\"ai-compute\"} 1", text, StringComparison.Ordinal);
    }
}
