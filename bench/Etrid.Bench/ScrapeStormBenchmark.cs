using System.Diagnostics;
using System.Net;

namespace Etrid.Bench;

/// <summary>
/// Issue 16, item 3: 1,000 concurrent <c>/metrics</c> clients against an exporter process following a dev chain
/// of 10,000 providers (one GPU each), while a separate client probes <c>/livez</c> and <c>/readyz</c> and
/// times every answer. The kubelet's probes time out after 1 s by default; the target is 100 ms.
/// The storm and the probes are also run by the soak (<see cref="Soak.SoakBenchmark"/>).
/// </summary>
internal static class ScrapeStormBenchmark
{
    // A probe that takes longer than this counts as unanswered (the kubelet's default timeoutSeconds is 1).
    internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(TextWriter report, int clients = 1_000, int seconds = 20)
    {
        var (chainProcess, exporterProcess, metrics, _) = StartChainAndExporter(jobs: 20_000, gpus: 10_000, providers: 10_000);
        using var chain = chainProcess;
        using var exporter = exporterProcess;
        try
        {
            using var probe = NewProbeClient();
            await ExporterBenchmarks.WaitAsync(async () =>
            {
                try
                {
                    return (await probe.GetAsync(metrics + "/readyz")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, seconds: 120);

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var storm = StormAsync(metrics, clients, stop.Token);
            var probes = await ProbeAsync(probe, metrics, stop.Token);
            var scrapes = await storm;
            if (exporter.HasExited)
            {
                throw new InvalidOperationException($"the exporter exited ({exporter.ExitCode}) during the storm");
            }

            var latencies = probes.Latencies.Order().ToList();
            var peak = ProcessStatus.Read(exporter.Id).Megabytes("VmHWM");
            report.WriteLine($"| Scrape storm, {clients:N0} concurrent /metrics clients, 10,000 providers, {seconds} s: /livez and /readyz latency (median / p99 / max) | {Measure.Ms(Percentile(latencies, 0.5))} | {Measure.Ms(Percentile(latencies, 0.99))} (max {Measure.Ms(latencies[^1])}) | p99 ≤ 100 ms |");
            report.WriteLine($"| Scrape storm: probes sent / unanswered within {ProbeTimeout.TotalSeconds:0} s / answered not ok | {probes.Sent} / {probes.Unanswered} / {probes.NotOk} | | 0 unanswered |");
            report.WriteLine($"| Scrape storm: scrapes answered 200 / 503 / failed; MB sent; exporter peak resident | {scrapes.Ok:N0} / {scrapes.Refused:N0} / {scrapes.Failed:N0}; {scrapes.Bytes / 1048576.0:0} MB; {peak:0} MB | | — |");
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            chain.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            await chain.WaitForExitAsync();
        }
    }

    /// <summary>The probing client: one kept connection, answers later than <see cref="ProbeTimeout"/> are unanswered.</summary>
    internal static HttpClient NewProbeClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = ProbeTimeout };

    /// <summary>The storm until <paramref name="stop"/>: each client its own connection, scraping back to back (OpenMetrics, as Prometheus asks).</summary>
    internal static async Task<StormCounts> StormAsync(string metrics, int clients, CancellationToken stop)
    {
        using var stormHandler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var storm = new HttpClient(stormHandler) { Timeout = Timeout.InfiniteTimeSpan };
        long ok = 0, refused = 0, failed = 0, bytes = 0;
        var scrapers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, metrics + "/metrics");
                    request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
                    using var response = await storm.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                    await using var body = await response.Content.ReadAsStreamAsync(stop);
                    int read;
                    while ((read = await body.ReadAsync(buffer, stop)) > 0)
                    {
                        Interlocked.Add(ref bytes, read);
                    }

                    Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref ok : ref response.StatusCode == HttpStatusCode.ServiceUnavailable ? ref refused : ref failed);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(scrapers);
        return new StormCounts(ok, refused, failed, bytes);
    }

    /// <summary>The probes until <paramref name="stop"/>, one every 50 ms alternating /livez and /readyz, each timed from send to the whole answer.</summary>
    internal static async Task<ProbeCounts> ProbeAsync(HttpClient probe, string metrics, CancellationToken stop)
    {
        var latencies = new List<double>();
        var unanswered = 0;
        var notOk = 0;
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var path = sent++ % 2 == 0 ? "/livez" : "/readyz";
            var sw = Stopwatch.StartNew();
            try
            {
                using var response = await probe.GetAsync(metrics + path, CancellationToken.None);
                await response.Content.ReadAsStringAsync(CancellationToken.None);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                notOk += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                unanswered++;
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }

            var wait = 50 - (int)sw.ElapsedMilliseconds;
            if (wait > 0)
            {
                await Task.Delay(wait, CancellationToken.None);
            }
        }

        return new ProbeCounts(latencies, sent, unanswered, notOk);
    }

    /// <summary>The <paramref name="q"/> quantile of sorted <paramref name="sorted"/> (nearest rank).</summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(sorted.Count * q) - 1))];

    /// <summary>
    /// The dev chain (1 s blocks) and <c>serve</c> with only its metrics listener, each its own process, on ports free
    /// at the moment (other runs on the machine may hold fixed ones); the environment as the Dockerfile sets it.
    /// </summary>
    internal static (Process Chain, Process Exporter, string Metrics, int MetricsPort) StartChainAndExporter(int jobs, int gpus, int providers)
    {
        var chainPort = FreePort();
        var metricsPort = FreePort();
        var metrics = $"http://127.0.0.1:{metricsPort}";
        var devDll = Path.Combine(AppContext.BaseDirectory, "etrid-dev.dll");
        var exporterDll = Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll");
        var chain = ExporterBenchmarks.Start(devDll, ["devchain", "--listen", $"http://127.0.0.1:{chainPort}", "--jobs", Text(jobs), "--gpus", Text(gpus), "--providers", Text(providers), "--block-time", "1s", "--finality-lag", "1"], []);
        var exporter = ExporterBenchmarks.Start(exporterDll, ["serve"], new()
        {
            ["ETRID_CHAIN__ENDPOINTS"] = $"ws://127.0.0.1:{chainPort}",
            ["ETRID_LISTEN__METRICS"] = metrics,
            ["ETRID_CHAIN__BLOCK_TIME"] = "1s",
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = "false",
            ["ETRID_KEDA_SCALER__ENABLED"] = "false",
            ["DOTNET_GCgen0size"] = "400000",
        });
        return (chain, exporter, metrics, metricsPort);

        static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Scrapes of a storm: answered 200, refused 503, failed otherwise; body bytes read.</summary>
    internal sealed record StormCounts(long Ok, long Refused, long Failed, long Bytes);

    /// <summary>Probes of a storm: each latency in ms (unanswered ones at their time-out), how many sent, unanswered, answered not ok.</summary>
    internal sealed record ProbeCounts(IReadOnlyList<double> Latencies, int Sent, int Unanswered, int NotOk);
}
