using Etrid.AiCompute.Follower;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Substrate.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Etrid.Exporter.Tests.Support;

/// <summary>The exporter host on a free loopback port, pointed at the given endpoints.</summary>
internal sealed class ExporterHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExporterHarness(WebApplication app, Uri url, Uri? apiUrl, Uri? kedaUrl, CollectingLoggerProvider logs)
    {
        _app = app;
        Url = url;
        ApiUrl = apiUrl;
        KedaUrl = kedaUrl;
        Logs = logs;
        Http = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    /// <summary>The external metrics API (HTTPS, self-signed here).</summary>
    public Uri? ApiUrl { get; }

    /// <summary>The KEDA scaler (cleartext HTTP/2).</summary>
    public Uri? KedaUrl { get; }

    public HttpClient Http { get; }

    public CollectingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<ExporterHarness> StartAsync(params Uri[] endpoints) => StartAsync(endpoints, configure: null);

    /// <summary>As <see cref="StartAsync(Uri[])"/>; <paramref name="configure"/> adjusts the builder (replaces a service).</summary>
    public static async Task<ExporterHarness> StartAsync(Uri[] endpoints, Action<WebApplicationBuilder>? configure)
    {
        var options = new ExporterOptions
        {
            Chain = new ChainOptions
            {
                Endpoints = [.. endpoints.Select(e => e.ToString())],
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
                RequestTimeout = TimeSpan.FromSeconds(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                WatchdogBlocks = 0,
                RetryDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            },
            Listen = new ListenOptions { Metrics = "http://127.0.0.1:0" },
            ExternalMetrics = new ExternalMetricsOptions { Listen = "https://127.0.0.1:0", Kubernetes = new ExternalMetricsKubernetesOptions { Mode = "none" } },
            KedaScaler = new KedaScalerOptions { Listen = "http://127.0.0.1:0" },
        };
        var logs = new CollectingLoggerProvider();
        var app = ExporterHost.Build(options, b =>
        {
            b.Logging.AddProvider(logs);
            configure?.Invoke(b);
        });
        await app.StartAsync();
        var (metrics, api, keda) = ExporterHost.Addresses(app);
        return new ExporterHarness(app, metrics, api, keda, logs);
    }

    public async Task<string> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<int> StatusAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
