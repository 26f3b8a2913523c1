using Etrid.Burst.Options;
using Etrid.Kubernetes;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;
using Etrid.Mithril.Telemetry;
using Etrid.Mithril.Tests.Support;
using Etrid.Tests.Shared;

namespace Etrid.Mithril.Tests.Hosting;

/// <summary>
/// The controller in a cluster: leader election on a Lease and local capacity from the HPA, both served by
/// an in-process stand-in of the Kubernetes API that KubernetesClient reaches over real HTTP.
/// </summary>
public sealed class BurstClusterTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("burst-kube-").FullName;
    private MarketHarness _market = null!;
    private BurstKubeApi _kube = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _market = await MarketHarness.StartAsync();
        _kube = await BurstKubeApi.StartAsync();
        _kubeconfig = _kube.WriteKubeconfig(_directory);
    }

    public async Task DisposeAsync()
    {
        await _kube.DisposeAsync();
        await _market.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private MithrilAutoOptions Options(bool leaderElection, int gpusPerReplica = 1) => new()
    {
        Enabled = true,
        ProjectId = _market.Project,
        Region = _market.Region,
        ApiToken = MarketHarness.Token,
        ApiEndpoint = _market.Url,
        SshKeyIds = [_market.SshKey],
        AgentDownloadUrl = "https://downloads.example/etrid-gpu-worker/{version}",
        ControllerAddress = "https://exporter.example:9090",
        WaitThreshold = TimeSpan.FromMinutes(5),

        // Wall-clock lease timing, short so the test is quick; the ticks run on virtual time.
        LeaderElection = new BurstLeaderElectionOptions
        {
            Enabled = leaderElection,
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromMilliseconds(500),
        },
        Hpa = new BurstHpaOptions { GpusPerReplica = gpusPerReplica },
        AutoscalerConfig = new AutoscalerOptions { MaxAgents = 6, MaxIdleAgents = 0, SyncLoopInterval = Interval },
        PoolDetails = [new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m }],
    };

    private KubernetesAccessOptions Kube => new() { Mode = "kubeconfig", Kubeconfig = _kubeconfig };

    private static Func<string, string?> Pod(string name) => key => key == "HOSTNAME" ? name : null;

    private List<Bid> Live() =>
        _market.Market.SnapshotBids().Where(b => b.Status is not (BidStatus.Terminated or BidStatus.Paused)).ToList();

    [Fact]
    public async Task TwoControllersOneLease_OnlyTheLeaderBids_TheOtherSaysItIsNotLeading()
    {
        _kube.SetHpa(currentReplicas: 0, maxReplicas: 4);
        var feed = new ChainFeed(_market.Time, TimeSpan.FromMinutes(5));
        feed.Publish(24);
        await using var a = await BurstHost.StartAsync(Options(leaderElection: true), feed.Hub, _market.Time, Pod("pod-a"), Kube);
        await using var b = await BurstHost.StartAsync(Options(leaderElection: true), feed.Hub, _market.Time, Pod("pod-b"), Kube);
        await Eventually.WaitAsync(() => _kube.LeaseHolder("etrid-burst-controller") is not null && (a.Status.Leading || b.Status.Leading), "a leader");
        var holder = _kube.LeaseHolder("etrid-burst-controller");
        var (leader, follower) = holder == "pod-a" ? (a, b) : (b, a);
        await Eventually.WaitAsync(() => follower.Status.LeaderIdentity == holder, "the follower to see the leader");

        for (var i = 0; i < 6; i++)
        {
            feed.Publish(24);
            _market.Advance(Interval);
            await leader.WaitForTickAsync(_market.Time.GetUtcNow());
            await follower.WaitForTickAsync(_market.Time.GetUtcNow());
        }

        Assert.Equal(3, Live().Count);
        Assert.Equal(3, _market.Market.SnapshotBids().Count);
        Assert.True(leader.Status.Leading);
        Assert.False(follower.Status.Leading);
        Assert.Equal(holder, follower.Status.LeaderIdentity);
        Assert.Equal(3, leader.Status.Decisions.Count(d => d.Action == "create"));
        Assert.All(follower.Status.Decisions, d => Assert.Equal(("hold", "not_leader"), (d.Action, d.ReasonCode)));

        var followerMetrics = MeterReader.Collect(follower.Meters).Concat(MeterReader.Collect(follower.Meters, MithrilMetrics.MeterName)).ToList();
        Assert.Equal(0, Assert.Single(followerMetrics, r => r.Name == "etrid_burst_leader").Value);
        Assert.DoesNotContain(followerMetrics, r => r.Name == "etrid_mithril_requests_total" && r.Tag("operation") == "POST /v2/spot/bids");
        Assert.Equal(1, Assert.Single(MeterReader.Collect(leader.Meters), r => r.Name == "etrid_burst_leader").Value);
        Assert.Equal(0, _kube.Unauthorized);
    }

    [Fact]
    public async Task WhenTheLeaderStops_TheOtherTakesTheLease_AndAdoptsItsBidsWithoutDuplicates()
    {
        _kube.SetHpa(currentReplicas: 0, maxReplicas: 4);
        var feed = new ChainFeed(_market.Time, TimeSpan.FromMinutes(5));
        feed.Publish(16);
        var a = await BurstHost.StartAsync(Options(leaderElection: true), feed.Hub, _market.Time, Pod("pod-a"), Kube);
        await Eventually.WaitAsync(() => a.Status.Leading, "pod-a to lead");
        await using var b = await BurstHost.StartAsync(Options(leaderElection: true), feed.Hub, _market.Time, Pod("pod-b"), Kube);
        await Eventually.WaitAsync(() => b.Status.LeaderIdentity == "pod-a", "pod-b to see pod-a lead");
        for (var i = 0; i < 3; i++)
        {
            feed.Publish(16);
            _market.Advance(Interval);
            await a.WaitForTickAsync(_market.Time.GetUtcNow());
        }

        Assert.Equal(2, Live().Count);
        await a.DisposeAsync();

        // The lease is not renewed any more: pod-b takes it once it has run out (wall-clock seconds).
        await Eventually.WaitAsync(() => b.Status.Leading, "pod-b to take the lease");
        Assert.Equal("pod-b", _kube.LeaseHolder("etrid-burst-controller"));
        for (var i = 0; i < 3; i++)
        {
            feed.Publish(16);
            _market.Advance(Interval);
            await b.WaitForTickAsync(_market.Time.GetUtcNow());
        }

        Assert.Equal(2, _market.Market.SnapshotBids().Count);
        Assert.Equal(2, Assert.Single(b.Status.Pools).Bids.Count);
        Assert.DoesNotContain(b.Status.Decisions, d => d.Action != "hold");
    }

    [Fact]
    public async Task HpaStatus_DrivesLocalCapacity_AndExhaustionMakesALongWaitUrgent()
    {
        // Two 8-GPU worker replicas of at most four: 16 local GPUs that may still grow.
        _kube.SetHpa(currentReplicas: 2, maxReplicas: 4);
        var feed = new ChainFeed(_market.Time, TimeSpan.FromMinutes(5));
        feed.Publish(0);
        await using var host = await BurstHost.StartAsync(Options(leaderElection: false, gpusPerReplica: 8), feed.Hub, _market.Time, Pod("pod-a"), Kube);
        await host.WaitForTickAsync(_market.Time.GetUtcNow());

        // A quiet minute first: after a start the controller observes for scale_up_after before acting at all.
        for (var i = 0; i < 2; i++)
        {
            feed.Publish(0);
            _market.Advance(Interval);
            await host.WaitForTickAsync(_market.Time.GetUtcNow());
        }

        feed.Publish(24, averageWaitSeconds: 600);
        _market.Advance(Interval);
        await host.WaitForTickAsync(_market.Time.GetUtcNow());

        Assert.Equal(16, host.Status.LocalGpus);
        Assert.Equal("hpa etrid-ai-compute/etrid-ai-gpu-scaler", host.Status.LocalCapacitySource);
        Assert.Equal(8, host.Status.DesiredGpus);
        Assert.Empty(_market.Market.SnapshotBids()); // a long wait alone is not urgent while the HPA may still grow

        // The HPA is limited now: the long wait makes the breach urgent, 30 s before scale_up_after.
        _kube.SetHpa(currentReplicas: 2, maxReplicas: 4, [("ScalingLimited", "True", "TooManyReplicas")]);
        feed.Publish(24, averageWaitSeconds: 600);
        _market.Advance(Interval);
        await host.WaitForTickAsync(_market.Time.GetUtcNow());

        Assert.Single(Live()); // 24 pending − 16 local = 8 GPUs = one 8-GPU node
        Assert.Contains(host.Status.Decisions, d => d.Action == "create" && d.ReasonCode == "wait_urgent");
        Assert.Equal(16, Assert.Single(MeterReader.Collect(host.Meters), r => r.Name == "etrid_burst_local_gpus").Value);
        Assert.True(host.Status.Leading); // no election configured: this replica leads alone
    }

    [Fact]
    public async Task HpaAtMaxReplicas_IsExhausted_AndAnUnreadableHpaHolds()
    {
        var feed = new ChainFeed(_market.Time, TimeSpan.FromMinutes(5));
        feed.Publish(20, averageWaitSeconds: 600);
        await using var host = await BurstHost.StartAsync(Options(leaderElection: false, gpusPerReplica: 4), feed.Hub, _market.Time, Pod("pod-a"), Kube);

        // No HPA yet: local capacity is unknown, so nothing is acted on.
        await host.WaitForTickAsync(_market.Time.GetUtcNow());
        Assert.Contains(host.Status.Decisions, d => d.Action == "hold" && d.ReasonCode == "local_capacity_unknown");
        Assert.Empty(_market.Market.SnapshotBids());

        _kube.SetHpa(currentReplicas: 3, maxReplicas: 3);
        feed.Publish(20, averageWaitSeconds: 600);
        _market.Advance(Interval);
        await host.WaitForTickAsync(_market.Time.GetUtcNow());

        // Urgent, but within scale_up_after of the start: it observes and places nothing yet.
        Assert.Contains(host.Status.Decisions, d => d.Action == "hold" && d.ReasonCode == "observing");
        Assert.Empty(_market.Market.SnapshotBids());

        feed.Publish(20, averageWaitSeconds: 600);
        _market.Advance(Interval);
        await host.WaitForTickAsync(_market.Time.GetUtcNow());

        Assert.Equal(12, host.Status.LocalGpus);
        Assert.Single(Live()); // 20 − 12 = 8 GPUs, urgent at once: the HPA is at its maximum
    }
}
