using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;

namespace Etrid.AiCompute.Tests.Follower;

/// <summary>The follower against the dev chain over a real WebSocket; every figure must equal the ground truth.</summary>
public sealed class ChainFollowerTests : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ReferenceFigures _reference = new();
    private DevChainHarness _dev = null!;
    private SubstrateClient _client = null!;
    private ChainFollower _follower = null!;
    private Task _running = Task.CompletedTask;

    public SnapshotStore Store { get; } = new();

    public ChainStatus Status { get; } = new();

    private async Task StartAsync(int jobs = 300, int gpus = 24, int finalityNotifyEvery = 1, double arrivalRate = 3, int watchdogBlocks = 0, int maxGapBlocks = 100)
    {
        _dev = await DevChainHarness.StartAsync(jobs: jobs, gpus: gpus, finalityLag: 0, arrivalRate: arrivalRate, finalityNotifyEvery: finalityNotifyEvery);
        _client = new SubstrateClient(new SubstrateClientOptions
        {
            Endpoints = [_dev.Url],
            WatchdogBlocks = watchdogBlocks,
            BlockTime = TimeSpan.FromMilliseconds(200),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            JitterSeed = 1,
        });
        var connections = 0;
        _client.Connected += _ =>
        {
            if (Interlocked.Increment(ref connections) > 1)
            {
                _follower.RequestResync("reconnected");
            }
        };
        _follower = new ChainFollower(new InstrumentedRpc(_client, Status), new FollowerOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200), MaxGapBlocks = maxGapBlocks }, Store, Status);
        _reference.Observe(_dev.Chain);
        _running = Task.Run(() => _follower.RunAsync(_stop.Token));
        await Eventually.WaitAsync(() => Store.Current is not null, "the first snapshot");
    }

    private async Task ProduceAndCatchUpAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            _dev.Chain.ProduceBlock();
            _reference.Observe(_dev.Chain);
        }

        var best = _dev.Chain.Best.Number;
        await Eventually.WaitAsync(() => Store.Current?.BlockNumber == best, $"the snapshot of block {best} (at {Store.Current?.BlockNumber}; last error: {Status.LastError})");
    }

    private void AssertFiguresMatchGroundTruth()
    {
        var snapshot = Store.Current!;
        Assert.Equal(_dev.Chain.Best.Hash, snapshot.BlockHash);
        var expected = _reference.Compute(_dev.Chain);
        var f = snapshot.Figures;
        Assert.Equal(expected.ByStatus, Enum.GetValues<JobStatus>().Select(s => f.JobsByStatus[s]));
        Assert.Equal(expected.GpusByStatus, Enum.GetValues<GpuStatus>().Select(s => f.GpusByStatus[s]));
        Assert.Equal(expected.Wait, f.AverageWaitSeconds, 9);
        Assert.Equal(expected.Duration, f.AverageDurationSeconds, 9);
        Assert.Equal(expected.Providers.Keys.Order(StringComparer.Ordinal), f.Providers.Select(p => p.Address).Order(StringComparer.Ordinal));
        foreach (var p in f.Providers)
        {
            var (util, completed, earnings) = expected.Providers[p.Address];
            Assert.Equal(util, p.UtilizationPercent, 9);
            Assert.Equal(completed, p.JobsCompleted);
            Assert.Equal(earnings, p.EarningsEdsc, 9);
        }

        Assert.Equal(f.Pending, f.PendingListLength);
    }

    [Fact]
    public async Task Figures_EqualGroundTruth_AcrossManyBlocks()
    {
        await StartAsync();
        AssertFiguresMatchGroundTruth();
        for (var round = 0; round < 6; round++)
        {
            await ProduceAndCatchUpAsync(20);
            AssertFiguresMatchGroundTruth();
        }

        Assert.Contains(Store.Current!.Figures.Providers, p => p.JobsCompleted > 0 && p.EarningsEdsc > 0);
        Assert.Contains(Store.Current!.Figures.Providers, p => p.UtilizationPercent > 0);
        Assert.Equal(1, Status.Syncs);
    }

    [Fact]
    public async Task SkippedFinalizedHeads_AreFilledIn()
    {
        await StartAsync(finalityNotifyEvery: 4);
        await ProduceAndCatchUpAsync(40);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(1, Status.Syncs);
    }

    [Fact]
    public async Task GapLargerThanTheLimit_LeadsToAFullSync()
    {
        await StartAsync(finalityNotifyEvery: 10, maxGapBlocks: 5);
        await ProduceAndCatchUpAsync(30);
        AssertFiguresMatchGroundTruth();
        Assert.True(Status.Syncs > 1);
    }

    [Fact]
    public async Task DroppedConnections_Recover_AndFiguresStayRight()
    {
        await StartAsync();
        // Past the 100-block window, so the resync's back-filled assignments matter.
        await ProduceAndCatchUpAsync(110);
        _dev.Chain.DropConnections();
        _dev.Chain.ProduceBlocks(3);
        await Eventually.WaitAsync(() => _client.Reconnects >= 1 && Status.Syncs >= 2, "a reconnect and a full sync");
        await ProduceAndCatchUpAsync(10);
        AssertFiguresMatchGroundTruth();
    }

    [Fact]
    public async Task StalledSubscription_IsDetectedByTheWatchdog_AndRecovers()
    {
        await StartAsync(watchdogBlocks: 5);
        _dev.Chain.SubscriptionsStalled = true;
        _dev.Chain.ProduceBlocks(3);
        await Eventually.WaitAsync(() => _client.Reconnects >= 1, "the watchdog to reconnect");
        _dev.Chain.SubscriptionsStalled = false;
        await ProduceAndCatchUpAsync(5);
        AssertFiguresMatchGroundTruth();
    }

    [Fact]
    public async Task RuntimeUpgrade_KeepsTheFiguresRight()
    {
        await StartAsync();
        await ProduceAndCatchUpAsync(5);
        _dev.Chain.UpgradeRuntime();
        await ProduceAndCatchUpAsync(15);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(2u, Store.Current!.SpecVersion);
    }

    [Fact]
    public async Task ProvidersLeavingTheChain_LeaveTheFigures()
    {
        await StartAsync(jobs: 50, gpus: 8);
        var before = Store.Current!.Figures.Providers.Count;
        _dev.Chain.SetArrivalRate(0);
        await ProduceAndCatchUpAsync(30);
        _dev.Chain.RemoveGpus(8);
        await ProduceAndCatchUpAsync(1);
        AssertFiguresMatchGroundTruth();
        Assert.True(Store.Current!.Figures.Providers.Count < before);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _client.DisposeAsync();
        await _dev.DisposeAsync();
        _stop.Dispose();
    }
}
