using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Tests.Support;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Etrid.Exporter.Tests.Metrics;

public sealed class ExporterMetricsTests : IDisposable
{
    // A meter factory of this test's own, as each host has: meters of other tests running at once are not bridged.
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
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

    // The chain's families written by prometheus-net itself, as the exporter once kept them (names, help, labels, values).
    private static async Task<string> PrometheusNetChainFamiliesAsync(ChainSnapshot? snapshot, ExpositionFormat format)
    {
        const string at = " Taken at the last finalized block.";
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        var queueDepth = f.CreateGauge("etrid_job_queue_depth", "Jobs by status (pending, assigned, completed, failed, disputed, cancelled); status=\"pending\" is the scaling signal." + at, "pbc", "status");
        var avgWait = f.CreateGauge("etrid_avg_job_wait_seconds", "Mean wait of pending jobs so far and of jobs assigned within the window, in pallet seconds (block x 6)." + at, "pbc");
        var avgDuration = f.CreateGauge("etrid_avg_job_duration_seconds", "Mean submit-to-completion time of jobs completed within the window, in pallet seconds; NaN when none completed." + at, "pbc");
        var utilization = f.CreateGauge("etrid_gpu_utilization_percent", "Processing jobs on the provider's Active GPUs per Active GPU, in percent (not clamped)." + at, "provider");
        var completed = f.CreateCounter("etrid_gpu_jobs_completed_total", "Jobs completed (or completed and then disputed) on the provider's GPUs." + at, "provider");
        var earnings = f.CreateGauge("etrid_gpu_earnings_total_edsc", "Payments less the runtime's platform fee for the provider's completed jobs, in EDSC; never decreases (a gauge only because the name lacks the _total suffix)." + at, "provider");
        var gpus = f.CreateGauge("etrid_gpus", "Registered GPUs by status (active, paused, offline, slashed)." + at, "pbc", "status");
        var jobsPerGpu = f.CreateGauge("etrid_jobs_per_active_gpu", "Pending and processing jobs per Active GPU (0 without Active GPUs)." + at, "pbc");
        var unattributed = f.CreateGauge("etrid_unattributed_completed_jobs", "Completed jobs whose GPU's provider is unknown (left out of per-provider series)." + at, "pbc");
        var block = f.CreateGauge("etrid_chain_snapshot_block", "Block the exported figures were taken at.", "pbc");
        var spec = f.CreateGauge("etrid_chain_spec_version", "Runtime spec version of the snapshot's block.", "pbc");
        if (snapshot is { Figures: var figures })
        {
            queueDepth.WithLabels("ai-compute", "pending").Set(figures.JobsByStatus[JobStatus.Pending]);
            queueDepth.WithLabels("ai-compute", "assigned").Set(figures.JobsByStatus[JobStatus.Processing]);
            queueDepth.WithLabels("ai-compute", "completed").Set(figures.JobsByStatus[JobStatus.Completed]);
            queueDepth.WithLabels("ai-compute", "failed").Set(figures.JobsByStatus[JobStatus.Failed]);
            queueDepth.WithLabels("ai-compute", "disputed").Set(figures.JobsByStatus[JobStatus.Disputed]);
            queueDepth.WithLabels("ai-compute", "cancelled").Set(figures.JobsByStatus[JobStatus.Cancelled]);
            avgWait.WithLabels("ai-compute").Set(figures.AverageWaitSeconds);
            avgDuration.WithLabels("ai-compute").Set(figures.AverageDurationSeconds);
            foreach (var p in figures.Providers)
            {
                utilization.WithLabels(p.Address).Set(p.UtilizationPercent);
                completed.WithLabels(p.Address).IncTo(p.JobsCompleted);
                earnings.WithLabels(p.Address).Set(p.EarningsEdsc);
            }

            gpus.WithLabels("ai-compute", "active").Set(figures.GpusByStatus[GpuStatus.Active]);
            gpus.WithLabels("ai-compute", "paused").Set(figures.GpusByStatus[GpuStatus.Paused]);
            gpus.WithLabels("ai-compute", "offline").Set(figures.GpusByStatus[GpuStatus.Offline]);
            gpus.WithLabels("ai-compute", "slashed").Set(figures.GpusByStatus[GpuStatus.Slashed]);
            jobsPerGpu.WithLabels("ai-compute").Set(figures.JobsPerActiveGpu);
            unattributed.WithLabels("ai-compute").Set(figures.UnattributedJobs);
            block.WithLabels("ai-compute").Set(snapshot.BlockNumber);
            spec.WithLabels("ai-compute").Set(snapshot.SpecVersion);
        }

        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, format);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private ExporterMetrics NewMetrics() => new("ai-compute", _store, _calls, new ByteCounters(), _time, _meters.GetRequiredService<IMeterFactory>());

    public void Dispose() => _meters.Dispose();

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
    public async Task ChainFamilies_AreByteForByteWhatPrometheusNetWritesForTheSameSeries(ExpositionFormat format)
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
        var snapshot = Snapshot(1, providers);
        _store.Publish(snapshot);
        var ours = Families(await ScrapeAsync(metrics, format));
        var reference = Families(await PrometheusNetChainFamiliesAsync(snapshot, format));
        Assert.Equal(11, reference.Count);
        foreach (var (name, block) in reference)
        {
            Assert.Equal(block, ours[name]);
        }
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetricsText)]
    public async Task ChainFamilies_BeforeTheFirstSnapshot_AreDeclaredAsPrometheusNetDeclaresThem(ExpositionFormat format)
    {
        var metrics = NewMetrics();
        var before = Families(await ScrapeAsync(metrics, format));
        var reference = Families(await PrometheusNetChainFamiliesAsync(null, format));
        foreach (var (name, block) in reference)
        {
            Assert.Equal(block, before[name]);
        }
    }

    [Fact]
    public async Task TheChainPart_IsRenderedOncePerSnapshot_AndServedFromThatBuffer()
    {
        var metrics = NewMetrics();
        _store.Publish(Snapshot(1, new ProviderFigures("5A", 1, 1, 0, 0, 1, 1)));
        var first = await metrics.RenderAsync(ExpositionFormat.PrometheusText);
        var second = await metrics.RenderAsync(ExpositionFormat.PrometheusText);
        Assert.True(MemoryMarshal.TryGetArray(first.Chain, out var a) && MemoryMarshal.TryGetArray(second.Chain, out var b) && ReferenceEquals(a.Array, b.Array), "the same buffer for the same snapshot");

        _store.Publish(Snapshot(2, new ProviderFigures("5A", 1, 1, 0, 0, 2, 2)));
        var third = await metrics.RenderAsync(ExpositionFormat.PrometheusText);
        Assert.True(MemoryMarshal.TryGetArray(third.Chain, out var c) && !ReferenceEquals(a.Array, c.Array), "a new buffer for a new snapshot");
        Assert.Contains("etrid_gpu_jobs_completed_total{provider=\"5A\"} 2\n", Encoding.UTF8.GetString(third.Chain.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSelfPart_IsCurrentAtEveryScrape_BetweenSnapshots()
    {
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 100, LastFinalizedAt = _time.GetUtcNow() });
        _store.Publish(Snapshot(100));
        Assert.Contains("etrid_chain_seconds_since_finalized_block{pbc=\"ai-compute\"} 0\n", await ScrapeAsync(metrics), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(7));
        _calls.RecordCall("chain_getHeader", 0.5, failed: false);
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_chain_seconds_since_finalized_block{pbc=\"ai-compute\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_snapshot_age_seconds{pbc=\"ai-compute\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_rpc_requests_total{method=\"chain_getHeader\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherHostsMeters_AreNotBridged()
    {
        // Another exporter in the same process (another test, another host) with its own meter factory and a chain that is down.
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var down = new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time);
        using var otherMetrics = new ExporterMetrics("other-pbc", down, new RpcCallStats(), new ByteCounters(), _time, other.GetRequiredService<IMeterFactory>());
        var metrics = NewMetrics();
        _store.UpdateHealth(h => h with { FinalizedBlock = 100, LastFinalizedAt = _time.GetUtcNow() });
        _store.Publish(Snapshot(100));
        var text = await ScrapeAsync(metrics);
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("other-pbc", text, StringComparison.Ordinal);
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
