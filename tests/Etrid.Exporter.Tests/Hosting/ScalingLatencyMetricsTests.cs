using Etrid.Exporter.Tests.Support;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>The scaling interfaces' latency histograms reach /metrics under their documented names.</summary>
public sealed class ScalingLatencyMetricsTests
{
    [Fact]
    public async Task ApiAnswers_AppearInMetrics_AsALatencyHistogram()
    {
        // No chain is needed for the API's own health route.
        await using var exporter = await ExporterHarness.StartAsync(new Uri("ws://127.0.0.1:1"));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var api = new HttpClient(handler) { BaseAddress = exporter.ApiUrl };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/livez")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/livez")).StatusCode);

        var text = await exporter.GetAsync("/metrics");

        Assert.Contains("# TYPE etrid_external_metrics_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("etrid_external_metrics_request_duration_seconds_count{code=\"200\",route=\"health\"} 2", text, StringComparison.Ordinal);
    }
}
