using System.Diagnostics.Metrics;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Telemetry;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
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

    [Fact]
    public async Task ApiAnswers_AreTimedByRouteAndCode_AndListedNewestFirst()
    {
        using var dir = new TempDirectory();
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = dir.Write("tokens.csv", "t,reader,1\n") },
        };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);
        using var recorder = new MeterRecorder(api.Services.GetRequiredService<IMeterFactory>());
        using var anonymous = api.Client();
        using var client = api.Client(headers: h => h.Authorization = new("Bearer", "t"));

        await anonymous.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus");
        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_gpus");
        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_job_queue_depth");

        Assert.Equal(1, recorder.Count("etrid_external_metrics_request_duration_seconds", "code=401,route=data"));
        Assert.Equal(2, recorder.Count("etrid_external_metrics_request_duration_seconds", "code=200,route=data"));
        Assert.All(recorder.Doubles.Where(m => m.Name == "etrid_external_metrics_request_duration_seconds"), m => Assert.True(m.Value >= 0, m.Labels));

        var recent = api.Services.GetRequiredService<ScalingTelemetry>().ApiRequests.Snapshot();
        Assert.Equal(
            [("data", "etrid_job_queue_depth", "200", "reader"), ("data", "etrid_gpus", "200", "reader"), ("data", "etrid_gpus", "401", null)],
            recent.Select(r => (r.Operation, r.Metric, r.Code, r.Identity)).ToArray());
    }

    [Fact]
    public async Task ApiAnswers_ClipAHugeMetricName_InTheRecentList()
    {
        using var dir = new TempDirectory();
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = dir.Write("tokens.csv", "t,reader,1\n") },
        };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);
        using var client = api.Client(headers: h => h.Authorization = new("Bearer", "t"));

        await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/" + new string('x', 2000));

        // The answer is listed as its request completes, which may be just after the client has read it.
        var requests = api.Services.GetRequiredService<ScalingTelemetry>().ApiRequests;
        await Eventually.WaitAsync(() => requests.Snapshot().Count > 0, "the request in the recent list");
        var request = Assert.Single(requests.Snapshot());
        Assert.Equal("404", request.Code);
        Assert.InRange(request.Metric!.Length, 1, 200);
    }

    [Fact]
    public async Task ScalerCalls_AreTimedByRpcAndCode_AndListedWithTheirScaledObject()
    {
        await using var scaler = await ScalerHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()));
        using var recorder = new MeterRecorder(scaler.Services.GetRequiredService<IMeterFactory>());

        await scaler.Client.IsActiveAsync(ScalerHarness.Ref(("target", "5")));
        await Assert.ThrowsAsync<RpcException>(async () => await scaler.Client.IsActiveAsync(ScalerHarness.Ref()));
        await scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(("target", "5"), ("metric", "etrid_gpus")) });

        Assert.Equal(1, recorder.Count("etrid_keda_scaler_request_duration_seconds", "code=OK,rpc=IsActive"));
        Assert.Equal(1, recorder.Count("etrid_keda_scaler_request_duration_seconds", "code=InvalidArgument,rpc=IsActive"));
        Assert.Equal(1, recorder.Count("etrid_keda_scaler_request_duration_seconds", "code=OK,rpc=GetMetrics"));

        var recent = scaler.Services.GetRequiredService<ScalingTelemetry>().ScalerRequests.Snapshot();
        Assert.Equal(
            [("GetMetrics", "etrid_gpus", "OK"), ("IsActive", null, "InvalidArgument"), ("IsActive", "etrid_job_queue_depth", "OK")],
            recent.Select(r => (r.Operation, r.Metric, r.Code)).ToArray());
        Assert.All(recent, r => Assert.Equal("etrid-ai-compute/etrid-gpu-provider", r.Identity));
        Assert.Equal(3, scaler.Services.GetRequiredService<ScalingTelemetry>().ScalerRequests.Total);
    }
}
