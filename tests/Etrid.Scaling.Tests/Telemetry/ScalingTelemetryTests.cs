using System.Diagnostics.Metrics;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Telemetry;

public sealed class ScalingTelemetryTests
{
    [Fact]
    public async Task ApiAnswers_AreCountedByRouteAndCode()
    {
        using var dir = new TempDirectory();
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Kubernetes = new ExternalMetricsKubernetesOptions { Mode = "none" },
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = dir.Write("tokens.csv", "t,u,1\n") },
        };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);
        using var recorder = new MeterRecorder(api.Services.GetRequiredService<IMeterFactory>());
        using var anonymous = api.Client();
        using var client = api.Client(headers: h => h.Authorization = new("Bearer", "t"));

        await anonymous.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus");
        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus");
        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus");
        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1");

        Assert.Equal(1, recorder.Sum("etrid_external_metrics_requests_total", "code=401,route=data"));
        Assert.Equal(2, recorder.Sum("etrid_external_metrics_requests_total", "code=200,route=data"));
        Assert.Equal(1, recorder.Sum("etrid_external_metrics_requests_total", "code=200,route=discovery"));
    }

    [Fact]
    public async Task ScalerCalls_AreCountedByRpcAndCode()
    {
        await using var scaler = await ScalerHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()));
        using var recorder = new MeterRecorder(scaler.Services.GetRequiredService<IMeterFactory>());

        await scaler.Client.IsActiveAsync(ScalerHarness.Ref(("target", "5")));
        await Assert.ThrowsAsync<RpcException>(async () => await scaler.Client.IsActiveAsync(ScalerHarness.Ref()));
        await scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(("target", "5")) });

        Assert.Equal(1, recorder.Sum("etrid_keda_scaler_requests_total", "code=OK,rpc=IsActive"));
        Assert.Equal(1, recorder.Sum("etrid_keda_scaler_requests_total", "code=InvalidArgument,rpc=IsActive"));
        Assert.Equal(1, recorder.Sum("etrid_keda_scaler_requests_total", "code=OK,rpc=GetMetrics"));
    }
}
