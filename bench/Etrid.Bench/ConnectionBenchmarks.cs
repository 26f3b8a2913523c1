using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;

namespace Etrid.Bench;

/// <summary>
/// Issue 16's connection churn: rounds of 2,000 concurrent TLS connections to the external metrics API of a real
/// <c>serve</c> process (half refused with 401 for want of credentials, half accepted with a static token), each
/// closed after its answer; the exporter's resident set after each round, after an idle pause, and its peak.
/// The soak (<see cref="Soak.SoakBenchmark"/>) runs the same connections as its churn.
/// </summary>
internal static class ConnectionBenchmarks
{
    private const string Token = "bench-token-0123456789";
    private const int Connections = 2_000;

    public static async Task RunAsync(TextWriter report, int rounds)
    {
        // The chain in process: only the exporter is measured, as its own process.
        await using var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = 1_000, Gpus = 100, Providers = 100, BlockTime = TimeSpan.FromSeconds(1), FinalityLag = 0, ArrivalRate = 3 });
        await using var server = new DevChainServer(chain);
        var chainUrl = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        chain.Start();

        var dir = Directory.CreateTempSubdirectory("etrid-bench-tls-").FullName;
        var tokenFile = await WriteTokenFileAsync(dir);
        var exporterDll = Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll");
        using var exporter = ExporterBenchmarks.Start(exporterDll, ["serve"], new()
        {
            ["ETRID_CHAIN__ENDPOINTS"] = chainUrl.ToString(),
            ["ETRID_CHAIN__BLOCK_TIME"] = "1s",
            ["ETRID_LISTEN__METRICS"] = "http://127.0.0.1:19962",
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = "true",
            ["ETRID_EXTERNAL_METRICS__LISTEN"] = "https://127.0.0.1:19963",
            ["ETRID_KUBERNETES__MODE"] = "none",
            ["ETRID_EXTERNAL_METRICS__AUTHENTICATION__TOKEN_FILE"] = tokenFile,
            ["ETRID_KEDA_SCALER__ENABLED"] = "false",
            ["DOTNET_GCgen0size"] = "400000", // as the Dockerfile sets both
            ["MALLOC_ARENA_MAX"] = Environment.GetEnvironmentVariable("BENCH_MALLOC_ARENA_MAX") ?? "2",
        });
        try
        {
            using (var http = new HttpClient())
            {
                await ExporterBenchmarks.WaitAsync(async () =>
                {
                    try
                    {
                        return (await http.GetAsync("http://127.0.0.1:19962/readyz")).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, seconds: 120);
            }

            var startRss = Rss(exporter.Id).Current;
            var peak = 0.0;
            var afterRounds = new List<double>();
            var settled = new List<double>();
            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var round = 0; round < rounds; round++)
            {
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        peak = Math.Max(peak, Rss(exporter.Id).Current);
                        await Task.Delay(50, CancellationToken.None);
                    }
                });
                var answers = await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => OneConnectionAsync(19963, authenticated: i % 2 == 1)));
                await sampling.CancelAsync();
                await sampler;
                foreach (var a in answers)
                {
                    statuses[a] = statuses.GetValueOrDefault(a) + 1;
                }

                afterRounds.Add(Rss(exporter.Id).Current);
                peak = Math.Max(peak, Rss(exporter.Id).Peak);

                // Where the round left the set once the process had a moment (it trims its native heap every 10 s).
                await Task.Delay(TimeSpan.FromSeconds(12));
                settled.Add(Rss(exporter.Id).Current);
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
            var idle = Rss(exporter.Id).Current;
            var rows = string.Join(" → ", afterRounds.Select(r => r.ToString("0", CultureInfo.InvariantCulture)));
            report.WriteLine($"| TLS connection churn, {rounds} rounds of {Connections:N0} concurrent connections (half 401, half accepted): resident after start / after each round (MB) | {startRss:0} / {rows} | | within 20 MB of round 1 |");
            var settledRows = string.Join(" → ", settled.Select(r => r.ToString("0", CultureInfo.InvariantCulture)));
            report.WriteLine($"| TLS connection churn: resident 12 s after each round (MB); growth from round 1 to round {rounds} | {settledRows}; {settled[^1] - settled[0]:+0;-0;0} MB | | within 20 MB of round 1 |");
            report.WriteLine($"| TLS connection churn: growth from round 1 to round {rounds} / after 10 s idle / peak | {afterRounds[^1] - afterRounds[0]:+0;-0;0} MB / {idle:0} MB / {peak:0} MB | | ≤ 20 MB / — / < 256 MiB |");
            report.WriteLine($"| TLS connection churn: answers | {string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} × {s.Value:N0}"))} | | every connection answered |");
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The static token file (<c>external_metrics.authentication.token_file</c>) that admits <see cref="OneConnectionAsync"/>'s authenticated half.</summary>
    internal static async Task<string> WriteTokenFileAsync(string dir)
    {
        var tokenFile = Path.Combine(dir, "tokens.csv");
        await File.WriteAllTextAsync(tokenFile, $"{Token},bench-user,1001,\"system:authenticated\"\n");
        return tokenFile;
    }

    /// <summary>One connection: TLS handshake, one GET of the API's discovery document, the status line (or why none), close.</summary>
    internal static async Task<string> OneConnectionAsync(int port, bool authenticated)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", port);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await using var tls = new SslStream(stream);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            });
            var auth = authenticated ? $"Authorization: Bearer {Token}\r\n" : string.Empty;
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /apis/external.metrics.k8s.io/v1beta1 HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"));
            var buffer = new byte[512];
            var read = 0;
            int n;
            while (read < 12 && (n = await tls.ReadAsync(buffer.AsMemory(read))) > 0)
            {
                read += n;
            }

            return read >= 12 ? Encoding.ASCII.GetString(buffer, 9, 3) : "closed before an answer";
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return e.GetType().Name;
        }
    }

    private static (double Current, double Peak) Rss(int pid)
    {
        var status = ProcessStatus.Read(pid);
        return (status.Megabytes("VmRSS"), status.Megabytes("VmHWM"));
    }
}
