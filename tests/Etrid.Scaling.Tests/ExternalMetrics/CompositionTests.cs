using System.Net;
using System.Text.Json.Nodes;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.ExternalMetrics;

public sealed class CompositionTests
{
    [Fact]
    public async Task Disabled_AddMapAndListenDoNothing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Etrid.AiCompute.Snapshots.IChainSnapshotSource>(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()));
        builder.Services.AddExternalMetricsApi(new ExternalMetricsOptions { Enabled = false, Listen = "https://127.0.0.1:0" });
        builder.Services.AddKedaScaler(new KedaScalerOptions { Enabled = false, Listen = "http://127.0.0.1:0" });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenExternalMetricsApi();
            k.ListenKedaScaler();
            k.Listen(IPAddress.Loopback, 0);
        });
        await using var app = builder.Build();
        app.MapExternalMetricsApi();
        app.MapKedaScaler();
        app.MapGet("/metrics", () => "plain");
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var only = Assert.Single(addresses);
        using var client = new HttpClient { BaseAddress = new Uri(only) };
        Assert.Equal("plain", await client.GetStringAsync("/metrics"));
        await app.StopAsync();
    }

    [Fact]
    public async Task NoMetricServed_DiscoveryListsThePlaceholder()
    {
        using var dir = new TempDirectory();
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Metrics = [],
            Authentication = new ExternalMetricsAuthenticationOptions { AllowAnonymous = true },
        };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);
        using var client = api.Client();

        var body = JsonNode.Parse(await client.GetStringAsync("/apis/external.metrics.k8s.io/v1beta1"))!;

        Assert.Equal("externalmetrics", (string?)body["resources"]!.AsArray().Single()!["name"]);
    }

    [Fact]
    public async Task Discovery_DoesNotDependOnChainData()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { AllowAnonymous = true },
        };
        // Never connected, no snapshot.
        await using var api = await ApiHarness.StartAsync(new Etrid.AiCompute.Snapshots.ChainSnapshotHub(TimeSpan.FromSeconds(60), time), options);
        using var client = api.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1")).StatusCode);
        // Readiness is the process's one verdict (fresh figures); discovery stays up without it.
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("not ready: not connected to any chain endpoint", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await StatusAssert.IsStatusAsync(await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus"), HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
    }

    [Fact]
    public async Task NothingConfigured_WarnsAndEveryDataRequestIs401()
    {
        var logs = new CollectingLoggerProvider();
        var options = new ExternalMetricsOptions { Listen = "https://127.0.0.1:0" };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options, logs);
        using var client = api.Client();

        await StatusAssert.IsStatusAsync(await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1"), HttpStatusCode.Unauthorized, "Unauthorized");
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.EventId).ToList();
        Assert.Contains(401, warnings); // self-signed certificate
        Assert.Contains(405, warnings); // nothing to authenticate with
        Assert.Contains(407, warnings); // standalone authorization
    }
}
