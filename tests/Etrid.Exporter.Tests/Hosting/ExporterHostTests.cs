using System.Globalization;
using System.Text.Json;
using Etrid.DevChain.Runtime;
using Etrid.Exporter.Tests.Support;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>The whole exporter over HTTP against the dev chain over WebSocket.</summary>
public sealed class ExporterHostTests : IAsyncLifetime
{
    private DevChainHarness _dev = null!;
    private ExporterHarness _exporter = null!;

    public async Task InitializeAsync()
    {
        _dev = await DevChainHarness.StartAsync(jobs: 400, gpus: 20);
        _dev.Chain.ProduceBlocks(5);
        _exporter = await ExporterHarness.StartAsync(_dev.Url);
    }

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        await _dev.DisposeAsync();
    }

    private async Task WaitReadyAtBestAsync()
    {
        var best = _dev.Chain.Best.Number.ToString(CultureInfo.InvariantCulture);
        await Eventually.WaitAsync(async () => await _exporter.StatusAsync("/readyz") == 200 && (await _exporter.GetAsync("/metrics")).Contains($"etrid_chain_snapshot_block{{pbc=\"ai-compute\"}} {best}", StringComparison.Ordinal), "ready at the best block");
    }

    [Fact]
    public async Task TheScalingInterfaces_SelfMetrics_AppearInMetrics_AsCounters()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var api = new HttpClient(handler) { BaseAddress = _exporter.ApiUrl };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/livez")).StatusCode);
        var text = await _exporter.GetAsync("/metrics");
        Assert.Contains("# TYPE etrid_external_metrics_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("etrid_external_metrics_requests_total{code=\"200\",route=\"health\"} 1", text, StringComparison.Ordinal);

        // /metrics is not served on the API's port.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ShowTheDevChainsPendingCount()
    {
        await WaitReadyAtBestAsync();
        var pending = _dev.Chain.GroundTruth().Jobs.Count(j => j.Status == DevJobStatus.Pending);
        var text = await _exporter.GetAsync("/metrics");
        Assert.Contains($"etrid_job_queue_depth{{pbc=\"ai-compute\",status=\"pending\"}} {pending}\n", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_up{pbc=\"ai-compute\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("etrid_chain_rpc_requests_total{method=\"state_queryStorageAt\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveExposition_PassesPromtool()
    {
        await WaitReadyAtBestAsync();
        var (exitCode, output) = await Promtool.CheckMetricsAsync(await _exporter.GetAsync("/metrics"));
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool ({exitCode}): {output}");
    }

    [Fact]
    public async Task HealthEndpoints_AndStatusPage()
    {
        await WaitReadyAtBestAsync();
        Assert.Equal("ok\n", await _exporter.GetAsync("/livez"));
        using var health = JsonDocument.Parse(await _exporter.GetAsync("/healthz"));
        Assert.True(health.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal((int)_dev.Chain.Best.Number, health.RootElement.GetProperty("snapshot_block").GetInt32());
        var page = await _exporter.GetAsync("/");
        Assert.Contains("Ready", page, StringComparison.Ordinal);
        Assert.Contains("AI Compute PBC Development", page, StringComparison.Ordinal);
        Assert.Contains(_dev.Chain.Best.Hash, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewBlocks_MoveTheFigures()
    {
        await WaitReadyAtBestAsync();
        _dev.Chain.SetArrivalRate(40);
        _dev.Chain.ProduceBlocks(3);
        await WaitReadyAtBestAsync();
        var pending = _dev.Chain.GroundTruth().Jobs.Count(j => j.Status == DevJobStatus.Pending);
        Assert.Contains($"status=\"pending\"}} {pending}\n", await _exporter.GetAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrometheusServer_ScrapesTheExporter_AndAnswersAPromQLQuery()
    {
        await WaitReadyAtBestAsync();
        var pending = _dev.Chain.GroundTruth().Jobs.Count(j => j.Status == DevJobStatus.Pending);
        await using var prometheus = await PrometheusServer.StartAsync(_exporter.Url);
        var value = string.Empty;
        await Eventually.WaitAsync(async () =>
        {
            value = await prometheus.QueryScalarAsync("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"}") ?? string.Empty;
            return value.Length > 0;
        }, "Prometheus to scrape the exporter", timeoutSeconds: 90);
        Assert.Equal(pending.ToString(CultureInfo.InvariantCulture), value);

        // The per-provider families, written outside prometheus-net's registry, are ingested too: one series
        // of each a provider with registered GPUs.
        var providers = _dev.Chain.GroundTruth().Gpus.Select(g => Convert.ToHexString(g.Provider)).Distinct().Count();
        foreach (var family in new[] { "etrid_gpu_utilization_percent", "etrid_gpu_jobs_completed_total", "etrid_gpu_earnings_total_edsc" })
        {
            Assert.Equal(providers.ToString(CultureInfo.InvariantCulture), await prometheus.QueryScalarAsync($"count({family})"));
        }
    }
}
