using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Simulation.Hpa;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Hpa;

/// <summary>The HPA model reading the adapter over HTTPS, on scripted snapshots.</summary>
public sealed class HpaModelTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ChainSnapshotHub _hub = null!;
    private ApiHarness _api = null!;
    private HttpClient _http = null!;
    private uint _block = 100;

    public async Task InitializeAsync()
    {
        _hub = Support.Figures.FreshHub(_time, Support.Figures.Make(pending: 0, wait: 0));
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = _dir.Write("tokens.csv", "hpa-token,system:serviceaccount:kube-system:horizontal-pod-autoscaler,1\n") },
        };
        _api = await ApiHarness.StartAsync(_hub, options);
        _http = _api.Client(headers: h => h.Authorization = new("Bearer", "hpa-token"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    private HpaModel Model(HpaSpec spec) => new(spec, new ExternalMetricsHttpReader(_http), _time);

    private void Publish(long pending, double wait = 0, double duration = 300)
    {
        _block++;
        _hub.UpdateHealth(h => h with { LastFinalizedAt = _time.GetUtcNow(), FinalizedBlock = _block });
        _hub.Publish(Support.Figures.Snapshot(Support.Figures.Make(pending: pending, wait: wait, duration: duration), _time.GetUtcNow(), _block));
    }

    private static HpaSpec QueueOnly(HpaBehavior? behavior = null) =>
        new(1, 100, [new HpaMetricSpec("etrid_job_queue_depth", "pbc=ai-compute,status=pending", MetricTargetType.AverageValue, 5)], behavior);

    [Fact]
    public async Task FiftySevenPendingAtFivePerWorker_GivesTwelve()
    {
        Publish(pending: 57);

        var decision = await Model(QueueOnly()).SyncAsync(currentReplicas: 10);

        Assert.Equal(12, decision.MetricReplicas);
        Assert.Equal(12, decision.DesiredReplicas);
    }

    [Fact]
    public async Task WithoutBehavior_ScaleUpIsCappedAtTwiceCurrentOrFour()
    {
        Publish(pending: 57);

        var decision = await Model(QueueOnly()).SyncAsync(currentReplicas: 2);

        Assert.Equal(12, decision.MetricReplicas);
        Assert.Equal(4, decision.DesiredReplicas);
    }

    [Theory]
    [InlineData(36, 12)]
    [InlineData(32, 10)]
    public async Task SeedHpa_WaitTimeAsValue_ScalesProportionally(double wait, int expected)
    {
        // 50 pending on 10 replicas is exactly the queue's target: the wait decides.
        Publish(pending: 50, wait: wait);

        // Without the seed's behaviour, whose 60 s up window would hold the first sync.
        var decision = await Model(HpaSpec.Seed() with { Behavior = null }).SyncAsync(currentReplicas: 10);

        Assert.Equal([10, expected], decision.Proposals.Select(p => p.Replicas!.Value));
        Assert.Equal(expected, decision.DesiredReplicas);
    }

    [Fact]
    public async Task FailedMetric_BlocksScaleDown()
    {
        Publish(pending: 5, duration: double.NaN);
        var spec = new HpaSpec(1, 100, [QueueOnly().Metrics[0], new HpaMetricSpec("etrid_avg_job_duration_seconds", null, MetricTargetType.Value, 600)]);

        var decision = await Model(spec).SyncAsync(currentReplicas: 10);

        Assert.Equal(1, decision.Proposals[0].Replicas);
        Assert.False(decision.Proposals[1].IsValid);
        Assert.Equal(10, decision.DesiredReplicas);
        Assert.False(decision.ScalingActive);
        Assert.StartsWith("FailedGetExternalMetric: etrid_avg_job_duration_seconds", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedMetric_DoesNotBlockScaleUp()
    {
        Publish(pending: 100, duration: double.NaN);
        var spec = new HpaSpec(1, 100, [QueueOnly().Metrics[0], new HpaMetricSpec("etrid_avg_job_duration_seconds", null, MetricTargetType.Value, 600)]);

        var decision = await Model(spec).SyncAsync(currentReplicas: 10);

        Assert.Equal(20, decision.DesiredReplicas);
    }

    [Fact]
    public async Task StaleFigures_HoldTheReplicaCount()
    {
        Publish(pending: 100);
        _time.Advance(TimeSpan.FromSeconds(120));

        var decision = await Model(HpaSpec.Seed()).SyncAsync(currentReplicas: 7);

        Assert.Equal(7, decision.DesiredReplicas);
        Assert.All(decision.Proposals, p => Assert.Contains("503", p.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SelectorMatchingNothing_IsAnInvalidMetric()
    {
        Publish(pending: 100);
        var spec = new HpaSpec(1, 100, [new HpaMetricSpec("etrid_job_queue_depth", "pbc=other", MetricTargetType.AverageValue, 5)]);

        var decision = await Model(spec).SyncAsync(currentReplicas: 3);

        Assert.Equal("no metrics returned from external metrics API", decision.Proposals[0].Error);
        Assert.Equal(3, decision.DesiredReplicas);
    }

    [Fact]
    public async Task SeedBehaviour_ScalesUpTwoToSixThenTenThenFifteenAMinute()
    {
        Publish(pending: 500);
        var model = Model(HpaSpec.Seed());
        var replicas = 2;
        var seen = new List<(int Second, int Replicas)>();
        for (var second = 0; second <= 180; second += 15)
        {
            replicas = (await model.SyncAsync(replicas)).DesiredReplicas;
            seen.Add((second, replicas));
            _time.Advance(TimeSpan.FromSeconds(15));
            Publish(pending: 500);
        }

        // The 60 s up window holds the start count for a minute, then +4 (over +50 %) a minute, then +50 %.
        Assert.Equal(
            [(0, 2), (15, 2), (30, 2), (45, 2), (60, 6), (75, 6), (90, 6), (105, 6), (120, 10), (135, 10), (150, 10), (165, 10), (180, 15)],
            seen);
    }

    [Fact]
    public async Task SeedBehaviour_ScalesDownOnePodAMinuteAfterFiveMinutes()
    {
        Publish(pending: 0);
        var model = Model(HpaSpec.Seed());
        var replicas = 10;
        var seen = new Dictionary<int, int>();
        for (var second = 0; second <= 480; second += 15)
        {
            replicas = (await model.SyncAsync(replicas)).DesiredReplicas;
            seen[second] = replicas;
            _time.Advance(TimeSpan.FromSeconds(15));
            Publish(pending: 0);
        }

        Assert.All(Enumerable.Range(0, 20).Select(i => i * 15), s => Assert.Equal(10, seen[s]));
        Assert.Equal(9, seen[300]);
        Assert.Equal(9, seen[345]);
        Assert.Equal(8, seen[360]);
        Assert.Equal(7, seen[420]);
        Assert.Equal(7, seen[465]);
        Assert.Equal(6, seen[480]);
    }

    [Fact]
    public async Task SelectPolicyDisabled_NeverScalesDown()
    {
        Publish(pending: 0);
        var behavior = HpaBehavior.Seed with { ScaleDown = HpaBehavior.Seed.Down with { Select = SelectPolicy.Disabled, StabilizationWindow = TimeSpan.Zero } };
        var model = Model(QueueOnly(behavior));

        var decision = await model.SyncAsync(8);

        Assert.Equal(0, decision.MetricReplicas);
        Assert.Equal(8, decision.DesiredReplicas);
    }

    [Fact]
    public async Task MaxReplicas_Bounds()
    {
        Publish(pending: 5000);

        var decision = await Model(QueueOnly()).SyncAsync(currentReplicas: 90);

        Assert.Equal(100, decision.DesiredReplicas);
    }
}
