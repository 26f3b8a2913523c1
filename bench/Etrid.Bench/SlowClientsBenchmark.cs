using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Etrid.Bench;

/// <summary>
/// Issue 16, item 2: 1,000 slow and silent clients hold connections to the exporter's metrics listener (half send
/// nothing, half trickle a request's headers a byte a second, and each reconnects when Kestrel cuts it after the
/// 10 s header time-out), while a legitimate client, on a new connection each time as the kubelet probes, asks
/// for <c>/livez</c> and <c>/metrics</c>. Target: every legitimate answer within 1 s.
/// </summary>
internal static class SlowClientsBenchmark
{
    public static async Task RunAsync(TextWriter report, int clients = 1_000, int seconds = 30)
    {
        var (chainProcess, exporterProcess, metrics, metricsPort) = ScrapeStormBenchmark.StartChainAndExporter(jobs: 20_000, gpus: 2_000, providers: 500);
        using var chain = chainProcess;
        using var exporter = exporterProcess;
        try
        {
            // A new connection for every request, as the kubelet's probes and a scraper after an idle time make them.
            using var legitimate = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
            await ExporterBenchmarks.WaitAsync(async () =>
            {
                try
                {
                    return (await legitimate.GetAsync(metrics + "/readyz")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, seconds: 120);

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            long held = 0, cut = 0;
            var holders = Enumerable.Range(0, clients).Select(i => Task.Run(() => HoldAsync(metricsPort, trickle: i % 2 == 1, () => Interlocked.Increment(ref held), () => Interlocked.Increment(ref cut), stop.Token))).ToList();
            await ExporterBenchmarks.WaitAsync(() => Task.FromResult(Interlocked.Read(ref held) >= clients), seconds: 60);

            var latencies = new List<double>();
            var failed = 0;
            var sent = 0;
            while (!stop.IsCancellationRequested)
            {
                var path = sent++ % 2 == 0 ? "/livez" : "/metrics";
                var sw = Stopwatch.StartNew();
                try
                {
                    using var response = await legitimate.GetAsync(metrics + path);
                    await response.Content.ReadAsStringAsync();
                    failed += response.IsSuccessStatusCode ? 0 : 1;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failed++;
                }

                latencies.Add(sw.Elapsed.TotalMilliseconds);
                var wait = 100 - (int)sw.ElapsedMilliseconds;
                if (wait > 0)
                {
                    await Task.Delay(wait);
                }
            }

            await Task.WhenAll(holders);
            if (exporter.HasExited)
            {
                throw new InvalidOperationException($"the exporter exited ({exporter.ExitCode}) under the slow clients");
            }

            latencies.Sort();
            double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * q) - 1)];
            var peak = ProcessStatus.Read(exporter.Id).Megabytes("VmHWM");
            report.WriteLine($"| {clients:N0} slow and silent clients holding connections to 9090 for {seconds} s: legitimate /livez and /metrics on new connections (median / p99 / max) | {Measure.Ms(P(0.5))} | {Measure.Ms(P(0.99))} (max {Measure.Ms(latencies[^1])}) | every answer ≤ 1 s |");
            report.WriteLine($"| Slow clients: legitimate requests sent / failed; slow connections opened / cut by the server; exporter peak resident | {sent} / {failed}; {held:N0} / {cut:N0}; {peak:0} MB | | 0 failed |");
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            chain.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            await chain.WaitForExitAsync();
        }
    }

    // One slow client: connects, then says nothing (silent) or one byte of a request's headers a second (trickle),
    // and connects again when the server cuts it, until stopped.
    private static async Task HoldAsync(int port, bool trickle, Action opened, Action wasCut, CancellationToken stop)
    {
        var request = Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + new string('s', 200));
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stop);
                opened();
                var reading = socket.ReceiveAsync(new byte[512], SocketFlags.None, stop).AsTask();
                for (var i = 0; !stop.IsCancellationRequested && !reading.IsCompleted; i = (i + 1) % request.Length)
                {
                    if (trickle)
                    {
                        await socket.SendAsync(request.AsMemory(i, 1), SocketFlags.None, stop);
                    }

                    await Task.WhenAny(reading, Task.Delay(1000, stop));
                }

                if (reading.IsCompleted && !stop.IsCancellationRequested)
                {
                    wasCut();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
                wasCut();
            }
        }
    }
}
