using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etrid.AiCompute.Snapshots;
using Etrid.Kubernetes;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Tests.Support;

/// <summary>
/// A host serving the external metrics API on its own HTTPS listener (127.0.0.1, ephemeral port)
/// beside a plain HTTP listener standing for the exporter's /metrics port.
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHarness(WebApplication app, Uri api, Uri plain)
    {
        _app = app;
        ApiUrl = api;
        PlainUrl = plain;
    }

    public Uri ApiUrl { get; }

    public Uri PlainUrl { get; }

    public IServiceProvider Services => _app.Services;

    public X509Certificate2 ServingCertificate => _app.Services.GetRequiredService<ServingCertificate>().Current;

    /// <summary>Starts the API with <paramref name="options"/>; the shared Kubernetes client from <paramref name="kubernetes"/> (default: none, standalone).</summary>
    public static async Task<ApiHarness> StartAsync(IChainSnapshotSource source, ExternalMetricsOptions options, ILoggerProvider? logs = null, KubernetesAccessOptions? kubernetes = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddSingleton(source);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddKubernetesAccess(kubernetes ?? new KubernetesAccessOptions { Mode = "none" });
        builder.Services.AddExternalMetricsApi(options, "ai-compute");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenExternalMetricsApi();
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.MapGet("/metrics", () => "plain metrics");
        app.MapGet("/healthz", () => "plain health");
        app.MapExternalMetricsApi();
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new ApiHarness(app, addresses.Single(a => a.Scheme == "https"), addresses.Single(a => a.Scheme == "http"));
    }

    /// <summary>A real TLS client presenting <paramref name="clientCertificate"/>; trusts the serving certificate only.</summary>
    public HttpClient Client(X509Certificate2? clientCertificate = null, Action<System.Net.Http.Headers.HttpRequestHeaders>? headers = null)
    {
        var serving = ServingCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(serving.RawData),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = ApiUrl };
        headers?.Invoke(client.DefaultRequestHeaders);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
