using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Tests.Support;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Keda;

/// <summary>Every RPC of the scaler through a real gRPC client over cleartext HTTP/2 on loopback.</summary>
public sealed class KedaScalerTests : IAsyncLifetime
{
    private static readonly (string, string)[] QueueTrigger = [("metric", "etrid_job_queue_depth"), ("pbc", "ai-compute"), ("target", "5")];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ChainSnapshotHub _hub = null!;
    private ScalerHarness _scaler = null!;
    private uint _block = 100;

    public async Task InitializeAsync()
    {
        _hub = Figures.FreshHub(_time, Figures.Make(pending: 23, wait: 36.5));
        _scaler = await ScalerHarness.StartAsync(_hub);
    }

    public async Task DisposeAsync() => await _scaler.DisposeAsync();

    private void Publish(long pending)
    {
        _block++;
        _hub.UpdateHealth(h => h with { LastFinalizedAt = _time.GetUtcNow(), FinalizedBlock = _block });
        _hub.Publish(Figures.Snapshot(Figures.Make(pending: pending), _time.GetUtcNow(), _block));
    }

    [Fact]
    public async Task GetMetricSpec_GivesTheTriggersMetricAndTarget()
    {
        var response = await _scaler.Client.GetMetricSpecAsync(ScalerHarness.Ref(QueueTrigger));

        var spec = Assert.Single(response.MetricSpecs);
        Assert.Equal("etrid_job_queue_depth", spec.MetricName);
        Assert.Equal(5.0, spec.TargetSizeFloat);
#pragma warning disable CS0612
        Assert.Equal(5, spec.TargetSize);
#pragma warning restore CS0612
    }

    [Fact]
    public async Task GetMetrics_GivesTheValueAsFloatAndRoundedInteger()
    {
        var response = await _scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(QueueTrigger), MetricName = "etrid_job_queue_depth" });
        var wait = await _scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(("metric", "etrid_avg_job_wait_seconds"), ("target", "30")), MetricName = "etrid_avg_job_wait_seconds" });

        var value = Assert.Single(response.MetricValues);
        Assert.Equal("etrid_job_queue_depth", value.MetricName);
        Assert.Equal(23.0, value.MetricValueFloat);
#pragma warning disable CS0612
        Assert.Equal(23, value.MetricValue_);
        Assert.Equal(37, wait.MetricValues[0].MetricValue_);
#pragma warning restore CS0612
        Assert.Equal(36.5, wait.MetricValues[0].MetricValueFloat);
    }

    [Fact]
    public async Task GetMetrics_OtherMetricNameThanTheTriggers_IsInvalidArgument()
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await _scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(QueueTrigger), MetricName = "etrid_gpus" }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Theory]
    [InlineData(23, "0", true)]
    [InlineData(0, "0", false)]
    [InlineData(23, "30", false)]
    [InlineData(31, "30", true)]
    public async Task IsActive_ComparesTheValueWithTheActivationTarget(long pending, string activation, bool active)
    {
        Publish(pending);

        var response = await _scaler.Client.IsActiveAsync(ScalerHarness.Ref([.. QueueTrigger, ("activationTarget", activation)]));

        Assert.Equal(active, response.Result);
    }

    [Theory]
    [InlineData("target", null, "scalerMetadata.target: required")]
    [InlineData("target", "five", "scalerMetadata.target: not a number")]
    [InlineData("target", "0", "scalerMetadata.target: must be above 0")]
    [InlineData("metric", "etrid_nope", "scalerMetadata.metric: unknown metric 'etrid_nope'")]
    [InlineData("labelSelector", "status in (", "scalerMetadata.labelSelector/pbc:")]
    [InlineData("activationTarget", "-1", "scalerMetadata.activationTarget: must not be negative")]
    public async Task BadMetadata_IsInvalidArgumentNamingTheKey(string key, string? value, string message)
    {
        var reference = ScalerHarness.Ref(QueueTrigger);
        if (value is null)
        {
            reference.ScalerMetadata.Remove(key);
        }
        else
        {
            reference.ScalerMetadata[key] = value;
        }

        var calls = new Func<Task>[]
        {
            async () => await _scaler.Client.IsActiveAsync(reference),
            async () => await _scaler.Client.GetMetricSpecAsync(reference),
            async () => await _scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = reference }),
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith(message, e.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MetadataFlood_IsInvalidArgument()
    {
        var reference = ScalerHarness.Ref(QueueTrigger);
        for (var i = 0; i < 100; i++)
        {
            reference.ScalerMetadata["k" + i] = "v";
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () => await _scaler.Client.IsActiveAsync(reference));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task StaleFigures_AreUnavailableWithTheReason()
    {
        _time.Advance(TimeSpan.FromSeconds(90));

        var metrics = await Assert.ThrowsAsync<RpcException>(async () => await _scaler.Client.GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(QueueTrigger) }));
        var active = await Assert.ThrowsAsync<RpcException>(async () => await _scaler.Client.IsActiveAsync(ScalerHarness.Ref(QueueTrigger)));

        Assert.Equal(StatusCode.Unavailable, metrics.StatusCode);
        Assert.Equal(StatusCode.Unavailable, active.StatusCode);
        Assert.Contains("stale", metrics.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamIsActive_SendsTheStateOnOpenThenEachChange()
    {
        Publish(0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = _scaler.Client.StreamIsActive(ScalerHarness.Ref(QueueTrigger), cancellationToken: cts.Token);
        var stream = call.ResponseStream;

        Assert.True(await stream.MoveNext(cts.Token));
        Assert.False(stream.Current.Result);

        Publish(0);
        Publish(3);
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.True(stream.Current.Result);

        Publish(4);
        Publish(0);
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.False(stream.Current.Result);

        Publish(1);
        Assert.True(await stream.MoveNext(cts.Token));
        Assert.True(stream.Current.Result);
    }

    [Fact]
    public async Task StreamIsActive_BadMetadata_IsInvalidArgument()
    {
        using var call = _scaler.Client.StreamIsActive(ScalerHarness.Ref(("metric", "etrid_nope"), ("target", "5")));

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task Health_IsServing()
    {
        var health = new Health.HealthClient(_scaler.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());
        var scaler = await health.CheckAsync(new HealthCheckRequest { Service = "externalscaler.ExternalScaler" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, scaler.Status);
    }
}
