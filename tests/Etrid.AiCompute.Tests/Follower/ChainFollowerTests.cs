using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
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

    // The dev chain here makes blocks when asked, a hundred at once: heads that far ahead are plausible.
    private const int DevChainBurst = 1000;

    public ChainSnapshotHub Store { get; } = new(TimeSpan.FromMinutes(1));

    public RpcCallStats Calls { get; } = new();

    private CapturingLogger<ChainFollower> Log { get; } = new();

    private async Task StartAsync(int jobs = 300, int gpus = 24, int finalityNotifyEvery = 1, double arrivalRate = 3, int watchdogBlocks = 0, int maxGapBlocks = 100, TimeSpan? verifyInterval = null, bool waitForSnapshot = true, int palletSecondsPerBlock = 6, int pageSize = 1000, int syncParallelism = 4, FinalityMode finality = FinalityMode.Finalized, int blocksBeforeStart = 0, params string[] refused)
    {
        _dev = await DevChainHarness.StartAsync(jobs: jobs, gpus: gpus, finalityLag: 0, arrivalRate: arrivalRate, finalityNotifyEvery: finalityNotifyEvery, palletSecondsPerBlock: palletSecondsPerBlock);
        for (var i = 0; i < blocksBeforeStart; i++)
        {
            _dev.Chain.ProduceBlock();
        }

        foreach (var method in refused)
        {
            _dev.Chain.RefusedMethods[method] = true;
        }

        _client = new SubstrateClient(new SubstrateClientOptions
        {
            Endpoints = [_dev.Url],
            WatchdogBlocks = watchdogBlocks,
            BlockTime = TimeSpan.FromMilliseconds(200),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            JitterSeed = 1,
        });
        _follower = new ChainFollower(new InstrumentedRpc(_client, Calls), new FollowerOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200), MaxGapBlocks = maxGapBlocks, VerifyInterval = verifyInterval ?? TimeSpan.FromMinutes(10), PalletSecondsPerBlock = palletSecondsPerBlock, HeadToleranceBlocks = DevChainBurst, PageSize = pageSize, SyncParallelism = syncParallelism, Finality = finality }, Store, Log, jitterSeed: 1);
        _client.Connected += _follower.OnConnected;
        _client.Disconnected += _follower.OnDisconnected;
        _reference.Observe(_dev.Chain);
        _running = Task.Run(() => _follower.RunAsync(_stop.Token));
        if (waitForSnapshot)
        {
            await Eventually.WaitAsync(() => Store.Current is not null, $"the first snapshot (last error: {Store.Health.LastError})");
        }
    }

    private async Task ProduceAndCatchUpAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            _dev.Chain.ProduceBlock();
            _reference.Observe(_dev.Chain);
        }

        var best = _dev.Chain.Best.Number;
        await Eventually.WaitAsync(() => Store.Current?.BlockNumber == best, $"the snapshot of block {best} (at {Store.Current?.BlockNumber}; last error: {Store.Health.LastError})");
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
        var q = f.PendingQueue;
        Assert.Equal(expected.Pending.ByPriority, Enum.GetValues<JobPriority>().Select(p => q.ByPriority[p]));
        Assert.Equal(expected.Pending.ByModelType, Enum.GetValues<ModelType>().Select(m => q.ByModelType[m]));
        Assert.Equal(expected.Pending.Payment, q.TotalPaymentPlanck);
        Assert.Equal(expected.Pending.MaxCompute, q.TotalMaxComputeSeconds);
        Assert.Equal(expected.Pending.OldestWait, q.OldestWaitSeconds, 9);
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
        Assert.Equal(1, Store.Health.FullSyncs);
    }

    // The full sync lists keys in hash ranges at once: with pages of seven keys every range takes many pages and
    // pages run across range boundaries; a key lost at a boundary would show in the figures.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task AFullSync_InHashRangesOfSmallPages_ReadsEveryJobAndGpu(int ranges)
    {
        await StartAsync(jobs: 400, gpus: 40, pageSize: 7, syncParallelism: ranges);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(_dev.Chain.GroundTruth().Jobs.Count, Store.Current!.Figures.JobsByStatus.Values.Sum());
    }

    [Fact]
    public async Task SkippedFinalizedHeads_AreFilledIn()
    {
        await StartAsync(finalityNotifyEvery: 4);
        await ProduceAndCatchUpAsync(40);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(1, Store.Health.FullSyncs);
    }

    [Fact]
    public async Task GapLargerThanTheLimit_LeadsToAFullSync()
    {
        await StartAsync(finalityNotifyEvery: 10, maxGapBlocks: 5);
        await ProduceAndCatchUpAsync(30);
        AssertFiguresMatchGroundTruth();
        Assert.True(Store.Health.FullSyncs > 1);
    }

    [Fact]
    public async Task DroppedConnections_Recover_AndFiguresStayRight()
    {
        await StartAsync();
        // Past the 100-block window, so the resync's back-filled assignments matter.
        await ProduceAndCatchUpAsync(110);
        _dev.Chain.DropConnections();
        _dev.Chain.ProduceBlocks(3);
        await Eventually.WaitAsync(() => _client.Reconnects >= 1 && Store.Health.FullSyncs >= 2, "a reconnect and a full sync");
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

    [Fact]
    public async Task CompletionsOnGpusThatUnregistered_StayAttributed_AcrossFullSyncs()
    {
        await StartAsync(jobs: 300, gpus: 24);
        await ProduceAndCatchUpAsync(40);
        _dev.Chain.RemoveGpus(6);
        await ProduceAndCatchUpAsync(2);
        var before = Store.Current!.Figures.Providers.ToDictionary(p => p.Address, p => p.JobsCompleted);

        // A reconnect means a full sync: the GPUs registered now no longer include the six.
        _dev.Chain.DropConnections();
        var syncs = Store.Health.FullSyncs;
        await Eventually.WaitAsync(() => Store.Health.FullSyncs > syncs, "the full sync after the reconnect");
        await ProduceAndCatchUpAsync(2);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(0, Store.Current!.Figures.UnattributedJobs);
        foreach (var p in Store.Current!.Figures.Providers)
        {
            Assert.True(p.JobsCompleted >= before.GetValueOrDefault(p.Address), $"{p.Address} went from {before.GetValueOrDefault(p.Address)} to {p.JobsCompleted} completed jobs");
        }
    }

    [Fact]
    public async Task APalletClockOtherThanSixSecondsABlock_IsOneSetting_AndTheFiguresFollowIt()
    {
        await StartAsync(palletSecondsPerBlock: 12);
        await ProduceAndCatchUpAsync(60);
        AssertFiguresMatchGroundTruth();
        Assert.True(Store.Current!.Figures.AverageWaitSeconds > 0);
    }

    [Fact]
    public async Task ANodeThatRefusesRuntimeVersionSubscriptions_IsStillFollowed()
    {
        await StartAsync(refused: ["state_subscribeRuntimeVersion", "chain_subscribeRuntimeVersion"]);
        await ProduceAndCatchUpAsync(5);
        AssertFiguresMatchGroundTruth();
        _dev.Chain.UpgradeRuntime();
        await ProduceAndCatchUpAsync(5);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(2u, Store.Current!.SpecVersion);
    }

    [Fact]
    public async Task ANodeThatRefusesFinalizedHeads_LeaksNoSubscription_AndTheFollowerKeepsTrying()
    {
        await StartAsync(waitForSnapshot: false, refused: ["chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads"]);
        await Eventually.WaitAsync(() => Store.Health.LoopFailures >= 5, "five failed attempts");
        Assert.Contains("chain_subscribeFinalizedHeads", Store.Health.LastError, StringComparison.Ordinal);
        await Eventually.WaitAsync(() => _dev.Server.SubscriptionCount <= 1, $"subscriptions to be given back ({_dev.Server.SubscriptionCount} open)");
        Assert.False(_running.IsCompleted);
        Assert.False(Store.Read().IsFresh);
    }

    [Fact]
    public async Task Verification_ReadsTheBlockTheStateIsAt_SoLateNotificationsShowNoDrift()
    {
        await StartAsync(finalityNotifyEvery: 4, verifyInterval: TimeSpan.FromMilliseconds(1));
        var syncs = Store.Health.FullSyncs;

        // The finalized head moves on while its notification is not sent yet: the kept state is older.
        _dev.Chain.ProduceBlocks(2);
        _reference.Observe(_dev.Chain);
        await Eventually.WaitAsync(() => Store.Health.FullSyncs >= syncs + 3, "three verification passes");
        Assert.Equal(0, Store.Health.VerificationDrift);
    }

    [Fact]
    public async Task AHostileNextJobId_IsRefusedWithItsValue_AndNothingIsSizedFromIt()
    {
        await StartAsync(jobs: 50, gpus: 8);
        var last = Store.Current!.BlockNumber;
        _dev.Chain.OverrideNextJobId(1UL << 40);
        _dev.Chain.ProduceBlocks(2);
        await Eventually.WaitAsync(() => Store.Health.LastError?.Contains("NextJobId is 1099511627776", StringComparison.Ordinal) == true, $"the error naming NextJobId (last error: {Store.Health.LastError})");
        Assert.Equal(last, Store.Current!.BlockNumber);
        Assert.False(_running.IsCompleted);

        // The node comes back to its senses: the follower catches up.
        _dev.Chain.OverrideNextJobId(null);
        await ProduceAndCatchUpAsync(2);
        AssertFiguresMatchGroundTruth();
    }

    // Finished jobs are kept as a status and a fingerprint once their completion leaves the window: a dispute of one
    // still moves it from completed to disputed and leaves its provider's completions and earnings as they were.
    [Fact]
    public async Task ACompletedJobDisputedLongAfter_IsCountedRight_WithoutItsRecord()
    {
        await StartAsync(jobs: 300, gpus: 24, arrivalRate: 1);
        await ProduceAndCatchUpAsync(110);
        var now6 = (ulong)_dev.Chain.Best.Number * 6;
        var old = _dev.Chain.GroundTruth().Jobs.First(j => j.Status == DevChain.Runtime.DevJobStatus.Completed && j.CompletedAt + 600 < now6);
        var before = Store.Current!.Figures;
        var syncs = Store.Health.FullSyncs;

        _dev.Chain.DisputeJob(old.Id);
        await ProduceAndCatchUpAsync(1);
        AssertFiguresMatchGroundTruth();
        var after = Store.Current!.Figures;
        Assert.True(after.JobsByStatus[JobStatus.Disputed] >= before.JobsByStatus[JobStatus.Disputed] + 1);
        Assert.Equal(syncs, Store.Health.FullSyncs);
        foreach (var p in after.Providers)
        {
            var was = before.Providers.SingleOrDefault(b => b.Address == p.Address);
            Assert.True(was is null || p.JobsCompleted >= was.JobsCompleted, $"{p.Address} went from {was?.JobsCompleted} to {p.JobsCompleted}");
        }
    }

    // A value changed with no event (no pallet call does that) is invisible to the block-by-block reads: the
    // verification, comparing the chain with what is kept as it reads, finds it, and a full sync puts the figures right.
    [Fact]
    public async Task AVerification_FindsAPlantedDrift_AndAFullSyncPutsItRight()
    {
        // Verifying all the time: no drift while nothing is planted.
        await StartAsync(jobs: 300, gpus: 24, arrivalRate: 1, verifyInterval: TimeSpan.FromMilliseconds(1));
        await ProduceAndCatchUpAsync(110);
        var now6 = (ulong)_dev.Chain.Best.Number * 6;
        var old = _dev.Chain.GroundTruth().Jobs.First(j => j.Status == DevChain.Runtime.DevJobStatus.Completed && j.CompletedAt + 600 < now6);
        var syncs = Store.Health.FullSyncs;
        await Eventually.WaitAsync(() => Store.Health.FullSyncs >= syncs + 2, "two verification passes");
        Assert.Equal(0, Store.Health.VerificationDrift);

        _dev.Chain.ChangeJobSilently(old.Id, DevChain.Runtime.DevJobStatus.Failed);
        _dev.Chain.ProduceBlock();
        _reference.Observe(_dev.Chain);
        await Eventually.WaitAsync(() => Store.Health.VerificationDrift >= 1, $"the drift to be found (last error: {Store.Health.LastError})");
        Assert.Equal(1, Store.Health.VerificationDrift);
        await ProduceAndCatchUpAsync(1);
        AssertFiguresMatchGroundTruth();
    }

    // The verification reads each page's values as the page comes, in hash ranges at once: with pages of seven keys
    // pages run across range boundaries, and a value read twice or not at all would show as drift.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task AVerification_InHashRangesOfSmallPages_ComparesEveryValueOnce_AndFindsAPlantedDrift(int ranges)
    {
        // The history is made before the follower starts: block by block under passes this frequent takes seconds.
        await StartAsync(jobs: 300, gpus: 24, arrivalRate: 1, verifyInterval: TimeSpan.FromMilliseconds(1), pageSize: 7, syncParallelism: ranges, blocksBeforeStart: 110);
        var now6 = (ulong)_dev.Chain.Best.Number * 6;
        var old = _dev.Chain.GroundTruth().Jobs.First(j => j.Status == DevChain.Runtime.DevJobStatus.Completed && j.CompletedAt + 600 < now6);
        var syncs = Store.Health.FullSyncs;
        await Eventually.WaitAsync(() => Store.Health.FullSyncs >= syncs + 2, "two verification passes");
        Assert.Equal(0, Store.Health.VerificationDrift);

        _dev.Chain.ChangeJobSilently(old.Id, DevChain.Runtime.DevJobStatus.Failed);
        _dev.Chain.ProduceBlock();
        _reference.Observe(_dev.Chain);
        await Eventually.WaitAsync(() => Store.Health.VerificationDrift >= 1, $"the drift to be found (last error: {Store.Health.LastError})");
        Assert.Equal(1, Store.Health.VerificationDrift);
    }

    // Under finality: best a side branch is followed as the best chain; when the node re-organises to the longer
    // canonical chain, the branch's blocks are taken back from the kept undo (no full sync) and every figure,
    // counters included, is exactly the canonical chain's.
    [Fact]
    public async Task AReorgUnderFinalityBest_TakesTheBranchBack_AndRestoresTheCountersExactly()
    {
        await StartAsync(jobs: 300, gpus: 24, arrivalRate: 1, finality: FinalityMode.Best);
        await ProduceAndCatchUpAsync(110);
        var truth = _dev.Chain.GroundTruth().Jobs;
        var running = truth.Where(j => j.Status == DevChain.Runtime.DevJobStatus.Processing).Select(j => j.Id).Take(3).ToList();
        var now6 = (ulong)_dev.Chain.Best.Number * 6;
        var old = truth.First(j => j.Status == DevChain.Runtime.DevJobStatus.Completed && j.CompletedAt + 600 < now6).Id;
        Assert.Equal(3, running.Count);
        var before = Store.Current!.Figures;
        var syncs = Store.Health.FullSyncs;

        var branch = _dev.Chain.ProduceFork(3, (b, i) =>
        {
            switch (i)
            {
                case 0:
                    b.Complete(running[0]);
                    b.Dispute(old);
                    break;
                case 1:
                    b.Complete(running[1]);
                    break;
                default:
                    b.Fail(running[2]);
                    break;
            }
        });
        await Eventually.WaitAsync(() => Store.Current?.BlockHash == branch[^1].Hash, $"the branch's head (at {Store.Current?.BlockNumber}; last error: {Store.Health.LastError}) {string.Join("\n", Log.Lines.TakeLast(8).Select(l => l.Text))}");
        var onBranch = Store.Current!.Figures;
        Assert.Equal(before.JobsByStatus[JobStatus.Completed] + 2 - 1, onBranch.JobsByStatus[JobStatus.Completed]);
        Assert.Equal(before.JobsByStatus[JobStatus.Disputed] + 1, onBranch.JobsByStatus[JobStatus.Disputed]);
        Assert.Equal(before.Providers.Sum(p => p.JobsCompleted) + 2, onBranch.Providers.Sum(p => p.JobsCompleted));

        // The canonical chain grows past the branch: the node re-organises to it.
        await ProduceAndCatchUpAsync(4);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(syncs, Store.Health.FullSyncs);
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
