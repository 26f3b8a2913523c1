using System.Net;
using System.Net.Sockets;
using Etrid.Exporter.Tests.Support;
using Etrid.Tests.Shared;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>One readiness check answers on every listener: the metrics listener's /readyz, the API's /readyz and gRPC health.</summary>
public sealed class OneReadinessVerdictTests
{
    private static readonly HealthCheckResponse.Types.ServingStatus Serving = HealthCheckResponse.Types.ServingStatus.Serving;
    private static readonly HealthCheckResponse.Types.ServingStatus NotServing = HealthCheckResponse.Types.ServingStatus.NotServing;

    [Fact]
    public async Task WithoutFigures_EveryListenerSaysNotReady_WithTheSameReason()
    {
        await using var exporter = await ExporterHarness.StartAsync(new Uri($"ws://127.0.0.1:{ClosedPort()}"));
        using var api = ApiClient(exporter);
        using var channel = GrpcChannel.ForAddress(exporter.KedaUrl!);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);

        const string reason = "not ready: not connected to any chain endpoint";
        await Eventually.WaitAsync(async () => (await exporter.GetAsync("/readyz")).StartsWith(reason, StringComparison.Ordinal), "the metrics listener to say why it is not ready");

        Assert.Equal(503, await exporter.StatusAsync("/readyz"));
        Assert.Equal(503, await exporter.StatusAsync("/healthz"));
        using var apiReady = await api.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, apiReady.StatusCode);
        Assert.StartsWith(reason, await apiReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "externalscaler.ExternalScaler" })).Status);

        // Liveness is apart: the process serves on every listener.
        Assert.Equal(200, await exporter.StatusAsync("/livez"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/livez")).StatusCode);
    }

    [Fact]
    public async Task WithFreshFigures_EveryListenerSaysReady()
    {
        await using var dev = await DevChainHarness.StartAsync(jobs: 40, gpus: 4);
        dev.Chain.ProduceBlocks(3);
        await using var exporter = await ExporterHarness.StartAsync(dev.Url);
        using var api = ApiClient(exporter);
        using var channel = GrpcChannel.ForAddress(exporter.KedaUrl!);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);

        await Eventually.WaitAsync(async () => await exporter.StatusAsync("/readyz") == 200, "the metrics listener to be ready");

        Assert.Equal("ok\n", await exporter.GetAsync("/readyz"));
        Assert.Equal("ok", await api.GetStringAsync("/readyz"));
        Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "externalscaler.ExternalScaler" })).Status);
    }

    private static HttpClient ApiClient(ExporterHarness exporter) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }, disposeHandler: true) { BaseAddress = exporter.ApiUrl };

    // A port nothing listens on: bound, read, released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
