using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Kubernetes;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Tls;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Bench;

/// <summary>
/// Issue 7's figures: adapter throughput with authentication on against a bare Kestrel TLS endpoint
/// (same machine, same client), latency at 1,000 requests/s, snapshot → StreamIsActive push and →
/// adapter answer, GetMetrics over one HTTP/2 connection, resident set.
/// </summary>
internal static class ScalingBenchmarks
{
    private const string DataPath = "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_job_queue_depth?labelSelector=status%3Dpending";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(TextWriter report)
    {
        var dir = Path.Combine(Path.GetTempPath(), "etrid-bench-scaling-" + Guid.NewGuid().ToString("N"));
        var credentials = LocalClientCredentials.Create(dir);
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60));
        uint block = 1;
        void Publish(long pending)
        {
            block++;
            hub.UpdateHealth(h => h with { Connected = true, LastFinalizedAt = DateTimeOffset.UtcNow, FinalizedBlock = block });
            hub.Publish(new ChainSnapshot(block, "0x" + block.ToString("x64", CultureInfo.InvariantCulture), 1, DateTimeOffset.UtcNow, Figures(pending)));
        }

        Publish(23);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IChainSnapshotSource>(hub);
        builder.Services.AddKubernetesAccess(new KubernetesAccessOptions { Mode = "none" });
        builder.Services.AddExternalMetricsApi(new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { ClientCaFile = credentials.ClientCaFile },
        });
        builder.Services.AddKedaScaler(new KedaScalerOptions { Listen = "http://127.0.0.1:0" });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenExternalMetricsApi();
            k.ListenKedaScaler();
        });
        await using var app = builder.Build();
        app.MapExternalMetricsApi();
        app.MapKedaScaler();
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var apiUrl = addresses.Single(a => a.Scheme == "https");
        var scalerUrl = addresses.Single(a => a.Scheme == "http");
        var serving = app.Services.GetRequiredService<ServingCertificate>().Current;

        // The bare endpoint: same certificate, a constant body of the same size, no routing or auth.
        using var probe = Client(apiUrl, credentials, serving, 1);
        var constant = await probe.GetByteArrayAsync(DataPath);
        var bare = WebApplication.CreateSlimBuilder();
        bare.Logging.ClearProviders();
        bare.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        await using var bareApp = bare.Build();
        bareApp.MapGet("/{**path}", () => Results.Bytes(constant, "application/json"));
        await bareApp.StartAsync();
        var bareUrl = new Uri(bareApp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        const int concurrency = 16;
        using var apiClient = Client(apiUrl, credentials, serving, concurrency);
        using var bareClient = Client(bareUrl, credentials, serving, concurrency);
        // Interleaved rounds, the order alternating, so a noisy neighbour hurts both sides alike;
        // the ratio is the median of the rounds' ratios.
        await ThroughputAsync(bareClient, DataPath, concurrency, TimeSpan.FromSeconds(1));
        await ThroughputAsync(apiClient, DataPath, concurrency, TimeSpan.FromSeconds(1));
        var bareRates = new List<double>();
        var apiRates = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0)
            {
                bareRates.Add(await ThroughputAsync(bareClient, DataPath, concurrency, RoundLength));
                apiRates.Add(await ThroughputAsync(apiClient, DataPath, concurrency, RoundLength));
            }
            else
            {
                apiRates.Add(await ThroughputAsync(apiClient, DataPath, concurrency, RoundLength));
                bareRates.Add(await ThroughputAsync(bareClient, DataPath, concurrency, RoundLength));
            }
        }

        var ratios = apiRates.Zip(bareRates, (a, b) => a / b).Order().ToList();
        report.WriteLine($"| Bare Kestrel TLS endpoint, constant body ({concurrency} connections, median of {Rounds} rounds) | {Measure.Number(Median(bareRates))} req/s | | — |");
        report.WriteLine($"| Adapter data route, client-certificate auth ({concurrency} connections, median of {Rounds} rounds) | {Measure.Number(Median(apiRates))} req/s | | ≥ 0.7× bare |");
        report.WriteLine($"| Adapter / bare (median of the rounds' ratios; lowest, highest) | {Ratio(Median(ratios))} ({Ratio(ratios[0])}, {Ratio(ratios[^1])}) | | ≥ 0.7× |");

        var paced = await PacedLatencyAsync(apiClient, DataPath, 1000);
        report.WriteLine($"| Adapter latency at 1,000 requests/s | {Measure.Ms(paced.Median)} | {Measure.Ms(paced.P99)} | p99 < 50 ms |");

        using var channel = GrpcChannel.ForAddress(scalerUrl, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } });
        var scaler = new ExternalScaler.ExternalScalerClient(channel);
        var reference = new ScaledObjectRef { Name = "bench", Namespace = "default" };
        reference.ScalerMetadata.Add("metric", "etrid_job_queue_depth");
        reference.ScalerMetadata.Add("target", "5");

        var push = await PushLatencyAsync(scaler, reference, Publish);
        report.WriteLine($"| New snapshot → StreamIsActive push received (200 changes) | {Measure.Ms(push.Median)} | {Measure.Ms(push.P99)} | p99 ≤ 50 ms |");
        var answer = await AnswerLatencyAsync(apiClient, Publish);
        report.WriteLine($"| New snapshot → adapter answer with the new value (200 changes) | {Measure.Ms(answer.Median)} | {Measure.Ms(answer.P99)} | p99 ≤ 50 ms |");

        var grpcRate = await GetMetricsRateAsync(scaler, reference, 64);
        report.WriteLine($"| GetMetrics over one HTTP/2 connection (64 in flight) | {Measure.Number(grpcRate)} req/s | | — |");
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        report.WriteLine($"| Resident set after the scaling runs (server and client in one process) | {Measure.Number(process.WorkingSet64 / 1024.0 / 1024.0)} MB | | — |");

        await bareApp.StopAsync();
        await app.StopAsync();
        Directory.Delete(dir, recursive: true);
    }

    private static HttpClient Client(Uri baseAddress, LocalClientCredentials credentials, System.Security.Cryptography.X509Certificates.X509Certificate2 serving, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [credentials.ClientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => credentials.ClientCertificate,
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serving.RawData),
            },
        })
        { BaseAddress = baseAddress };

    private const int Rounds = 6;

    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(3);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static async Task<double> ThroughputAsync(HttpClient client, string path, int concurrency, TimeSpan length)
    {
        async Task<long> Loop(TimeSpan length)
        {
            long count = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < length)
            {
                using var response = await client.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                count++;
            }

            return count;
        }

        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Loop(length)));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Median, double P99)> PacedLatencyAsync(HttpClient client, string path, int rate)
    {
        var n = (int)(rate * Duration.TotalSeconds);
        var latencies = new double[n];
        var tasks = new List<Task>(n);
        var sw = Stopwatch.StartNew();
        async Task One(int i)
        {
            var start = sw.Elapsed;
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            latencies[i] = (sw.Elapsed - start).TotalMilliseconds;
        }

        var next = 0;
        while (next < n)
        {
            // Fire everything due, then sleep a little: Task.Delay's granularity is about a millisecond.
            while (next < n && TimeSpan.FromSeconds(next / (double)rate) <= sw.Elapsed)
            {
                tasks.Add(One(next++));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        return Percentiles(latencies);
    }

    private static async Task<(double Median, double P99)> PushLatencyAsync(ExternalScaler.ExternalScalerClient scaler, ScaledObjectRef reference, Action<long> publish)
    {
        using var call = scaler.StreamIsActive(reference);
        var stream = call.ResponseStream;
        await stream.MoveNext(CancellationToken.None);
        var active = stream.Current.Result;
        var samples = new double[200];
        for (var i = 0; i < samples.Length; i++)
        {
            // Each snapshot flips the activation so that each one is pushed.
            var sw = Stopwatch.StartNew();
            publish(active ? 0 : 5);
            await stream.MoveNext(CancellationToken.None);
            samples[i] = sw.Elapsed.TotalMilliseconds;
            active = stream.Current.Result;
        }

        return Percentiles(samples);
    }

    private static async Task<(double Median, double P99)> AnswerLatencyAsync(HttpClient client, Action<long> publish)
    {
        var samples = new double[200];
        for (var i = 0; i < samples.Length; i++)
        {
            var pending = 100 + i;
            var sw = Stopwatch.StartNew();
            publish(pending);
            var body = await client.GetStringAsync(DataPath);
            if (!body.Contains($"\"value\":\"{pending}\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the adapter did not answer with the new value: " + body);
            }

            samples[i] = sw.Elapsed.TotalMilliseconds;
        }

        return Percentiles(samples);
    }

    private static async Task<double> GetMetricsRateAsync(ExternalScaler.ExternalScalerClient scaler, ScaledObjectRef reference, int inFlight)
    {
        var request = new GetMetricsRequest { ScaledObjectRef = reference, MetricName = "etrid_job_queue_depth" };
        async Task<long> Loop(TimeSpan length)
        {
            long count = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < length)
            {
                await scaler.GetMetricsAsync(request);
                count++;
            }

            return count;
        }

        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Loop(TimeSpan.FromSeconds(1))));
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Loop(Duration)));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    private static (double Median, double P99) Percentiles(double[] samples)
    {
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(samples.Length * 0.99) - 1)]);
    }

    private static ChainFigures Figures(long pending) => new(
        Enum.GetValues<JobStatus>().ToDictionary(s => s, s => s == JobStatus.Pending ? pending : 10L),
        12,
        300,
        [],
        Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 4L),
        1.5,
        (int)pending,
        0);
}
