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
        var configuration = ExporterConfiguration.FromValues(
        [
            .. endpoints.Select((e, i) => KeyValuePair.Create($"chain:endpoints:{i}", (string?)e.ToString())),
            new("chain:reconnect_base_delay", "00:00:00.050"),
            new("chain:reconnect_max_delay", "00:00:00.500"),
            new("chain:request_timeout", "00:00:05"),
            new("chain:connect_timeout", "00:00:02"),
            new("chain:watchdog_blocks", "0"),
            new("chain:retry_delay", "00:00:00.100"),
            new("chain:max_retry_delay", "00:00:00.500"),
            new("listen:metrics", "http://127.0.0.1:0"),
            new("external_metrics:listen", "https://127.0.0.1:0"),
            new("kubernetes:mode", "none"),
            new("keda_scaler:listen", "http://127.0.0.1:0"),
        ]);
        var logs = new CollectingLoggerProvider();
        var app = ExporterHost.Build(configuration, b =>
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
