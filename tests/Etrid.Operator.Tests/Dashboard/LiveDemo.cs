using System.Diagnostics;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Tests.Shared;
using Grpc.Net.Client;

namespace Etrid.Operator.Tests.Dashboard;

/// <summary>
/// The real <c>demo</c> scraped by a real Prometheus, with the external metrics API and the KEDA scaler
/// each called once as the HPA and KEDA would; then every dashboard query is run until each has data
/// or the time is up. Shared by the tests of one class: starting it takes most of a minute.
/// </summary>
public sealed class LiveDemo : IAsyncLifetime
{
    // Long enough for the demo's burst to begin (it promises one within two minutes); it bounds
    // only queries that never get data.
    private const int DataTimeoutSeconds = 150;

    private ExporterProcess? _demo;
    private PrometheusServer? _prometheus;

    /// <summary>Series each query returned last; a query that never returned data keeps 0.</summary>
    internal Dictionary<string, int> SeriesCount { get; } = new(StringComparer.Ordinal);

    /// <summary>The expressions as sent, variables substituted.</summary>
    internal Dictionary<string, string> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>The value each dashboard variable took.</summary>
    internal Dictionary<string, string> VariableValues { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, IReadOnlyList<string>> VariableOptions { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _demo = ExporterProcess.Start(["demo", "--listen", "127.0.0.1:0", "--chain-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--scaler-listen", "127.0.0.1:0", "--market-listen", "127.0.0.1:0", "--block-time", "500ms"], null, ExporterProcess.Dev);
        var web = await _demo.UrlAsync("status page");
        var scaler = await _demo.UrlAsync("KEDA scaler");
        var kubectl = (await _demo.WaitForLineAsync("try: kubectl"))["try: ".Length..].Trim();
        _prometheus = await PrometheusServer.StartAsync(web);

        using (var http = new HttpClient { BaseAddress = web })
        {
            await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "the demo to be ready", 120);
        }

        // One request on each scaling interface, as kube-apiserver (for the HPA) and KEDA make them.
        await RunShellAsync(kubectl);
        using (var channel = GrpcChannel.ForAddress(scaler))
        {
            var client = new ExternalScaler.ExternalScalerClient(channel);
            var reference = new ScaledObjectRef { Name = "etrid-gpu-provider", Namespace = "etrid-ai-compute" };
            reference.ScalerMetadata["target"] = "5";
            await client.GetMetricSpecAsync(reference);
            await client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = reference, MetricName = "etrid_job_queue_depth" });
        }

        await ResolveVariablesAsync(_prometheus);

        var queries = DashboardFile.Queries().Where(q => !q.NeedsKubeStateMetrics).ToList();
        foreach (var q in queries)
        {
            Sent[q.Key] = DashboardFile.Substitute(q.Expr, VariableValues);
            SeriesCount[q.Key] = 0;
        }

        try
        {
            await Eventually.WaitAsync(
                async () =>
                {
                    foreach (var q in queries.Where(q => SeriesCount[q.Key] == 0))
                    {
                        SeriesCount[q.Key] = await _prometheus.CountSeriesAsync(Sent[q.Key]);
                    }

                    return SeriesCount.Values.All(n => n > 0);
                },
                "every dashboard query to return data",
                DataTimeoutSeconds);
        }
        catch (TimeoutException)
        {
            // Each query's own test reports whether it got data.
        }

        // The exposition as it stands now that a burst has run: the metrics reference is checked against it.
        using var scrape = new HttpClient { BaseAddress = web };
        MetricsText = await scrape.GetStringAsync("/metrics");
    }

    /// <summary>The demo's /metrics, read once every query had data (or the time was up).</summary>
    internal string MetricsText { get; private set; } = string.Empty;

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }

    private async Task ResolveVariablesAsync(PrometheusServer prometheus)
    {
        foreach (var variable in DashboardFile.Variables(DashboardFile.Load()))
        {
            var name = (string)variable["name"]!;
            switch ((string)variable["type"]!)
            {
                case "query":
                    // label_values(metric, label), as Grafana's Prometheus datasource runs it: the label's values on the metric's series.
                    var definition = (string)variable["definition"]!;
                    var args = definition["label_values(".Length..^1].Split(',', StringSplitOptions.TrimEntries);
                    IReadOnlyList<string> values = [];
                    await Eventually.WaitAsync(async () => (values = await prometheus.LabelValuesAsync(args[0], args[1])).Count > 0, $"values for ${name} ({definition})", 60);
                    VariableOptions[name] = values;
                    // One real value, as a user picks it: the queries must match on the label it filters.
                    VariableValues[name] = values[0];
                    break;
                case "custom" or "textbox":
                    VariableValues[name] = (string)variable["current"]!["value"]!;
                    break;
                default:
                    break;
            }
        }
    }

    private static async Task RunShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}: {await errors}{await output}");
        }
    }
}
