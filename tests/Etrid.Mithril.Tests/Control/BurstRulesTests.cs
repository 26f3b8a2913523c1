using Etrid.Burst.Control;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Control;

/// <summary>
/// The rules the controller never breaks, each reproduced as an operator saw it broken: capacity sits in the
/// fallback pool (the preferred one was priced out), the preferred pool becomes usable again, and demand moves
/// a little. Holding, waiting, a steady queue or a restart must then move nothing.
/// </summary>
public sealed class BurstRulesTests : IAsyncLifetime
{
    private static readonly Dictionary<string, int> Gpus = new() { ["it_devh100x8"] = 8, ["it_deva100x4"] = 4 };
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private MarketHarness _market = null!;
    private MithrilClient _client = null!;

    public async Task InitializeAsync()
    {
        _market = await MarketHarness.StartAsync();
        _client = _market.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _market.DisposeAsync();
    }

    // a100 is preferred ($2.00/GPU-h, 800 ¢ an instance-hour); h100 is the fallback ($3.50/GPU-h, 2800 ¢).
    private MithrilAutoOptions Options(decimal? budget = null) => new()
    {
        Enabled = true,
        ProjectId = _market.Project,
        Region = _market.Region,
        ApiToken = MarketHarness.Token,
        ApiEndpoint = _market.Url,
        SshKeyIds = [_market.SshKey],
        MaxSuspendedBids = 4,
        MaxHourlySpendUsd = budget,
        AutoscalerConfig = new AutoscalerOptions { MaxAgents = 8, MaxIdleAgents = 0, IdleDecay = TimeSpan.FromMinutes(1) },
        PoolDetails =
        [
            new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 2m },
            new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m },
        ],
    };

    private BurstReconciler Reconciler(MithrilAutoOptions options, int seed = 3) =>
        new(options, new MithrilCapacityMarket(options, _client), Gpus, "1.0.0", "00ff", name => $"#!/bin/bash\necho {name}\n", new Random(seed), _market.Time);

    // No faults here, so a tick waits on no virtual timer: time stands still during it (pumping it forward while the
    // call ran let a slow machine age the bids by minutes inside one tick, and a release came early).
    private Task<TickReport> Tick(BurstReconciler reconciler, long pending, bool urgent = false, double? oldestWait = null) =>
        _market.PumpAsync(reconciler.TickAsync(new BurstTickInput { PendingJobs = pending, LocalGpus = 0, Urgent = urgent, OldestWaitSeconds = oldestWait }, default), TimeSpan.Zero);

    private List<Bid> Allocated(string type) =>
        _market.Market.SnapshotBids().Where(b => b.InstanceType == type && b.Status == BidStatus.Allocated).ToList();

    /// <summary>Two h100 nodes running 16 GPUs while a100 is priced out; then a100 is usable again.</summary>
    private async Task<BurstReconciler> CapacityInTheFallbackPoolAsync(MithrilAutoOptions options)
    {
        _market.Market.SetSpotPrice("it_deva100x4", 900);
        _market.Market.SetSpotPrice("it_devh100x8", 1600);
        var reconciler = Reconciler(options);
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(9); t += Step)
        {
            await Tick(reconciler, 16);
            _market.Advance(Step);
        }

        Assert.Equal(2, Allocated("it_devh100x8").Count);
        Assert.Empty(Allocated("it_deva100x4"));
        Assert.Equal(16, _market.Market.RunningGpus);
        _market.Market.SetSpotPrice("it_deva100x4", 560);
        _market.Market.RunAuctionRound();
        return reconciler;
    }

    /// <summary>
    /// h100 preferred but priced out, so two a100 nodes carry 8 GPUs and run past scale_down_after; then an h100 node
    /// turns cheaper than an a100 one (500 ¢ against 560 ¢ an instance-hour: about $0.05 over scale_down_after).
    /// </summary>
    private async Task<(BurstReconciler Reconciler, HashSet<string> A100)> TwoA100NodesThenACheaperH100Async(decimal? threshold)
    {
        var options = Options() with
        {
            RebalanceMinSavingUsd = threshold,
            PoolDetails =
            [
                new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m },
                new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 2m },
            ],
        };
        _market.Market.SetSpotPrice("it_devh100x8", 3000);
        _market.Market.SetSpotPrice("it_deva100x4", 560);
        var reconciler = Reconciler(options);
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(12); t += Step)
        {
            await Tick(reconciler, 8);
            _market.Advance(Step);
        }

        var a100 = Allocated("it_deva100x4").Select(b => b.Fid).ToHashSet();
        Assert.Equal(2, a100.Count);
        _market.Market.SetSpotPrice("it_devh100x8", 500);
        _market.Market.RunAuctionRound();
        return (reconciler, a100);
    }

    private static bool MovesCapacity((string Pool, BidAction Action) a) =>
        a.Action.Kind is BidActionKind.Create or BidActionKind.Resume or BidActionKind.Pause
        || (a.Action.Kind == BidActionKind.Cancel && a.Action.ReasonCode is not (ReasonCodes.KillUnknown or ReasonCodes.StaleConfig or ReasonCodes.SuspendedLimit));

    [Fact]
    public async Task SurplusWait_MovesNoCapacity_InAnyPool()
    {
        var reconciler = await CapacityInTheFallbackPoolAsync(Options());

        // 14 GPUs wanted, 16 held: the gate waits for scale_down_after (5 min).
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(4.5); t += Step)
        {
            var report = await Tick(reconciler, 14);
            Assert.Equal(ReasonCodes.Waiting, report.Gate.Code);
            Assert.DoesNotContain(report.Actions, MovesCapacity);
            _market.Advance(Step);
        }

        Assert.Equal(2, Allocated("it_devh100x8").Count);
        Assert.DoesNotContain(_market.Market.SnapshotBids(), b => b.InstanceType == "it_deva100x4");
    }

    [Fact]
    public async Task BreachWait_AndTheScaleUpAfter_NeverReleaseRunningCapacity()
    {
        var reconciler = await CapacityInTheFallbackPoolAsync(Options());
        var running = Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet();

        // 30 GPUs wanted, 16 held: first a wait of scale_up_after, then growth of the difference only.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(6); t += Step)
        {
            var report = await Tick(reconciler, 30);
            if (report.Gate.Code == ReasonCodes.Waiting)
            {
                Assert.DoesNotContain(report.Actions, MovesCapacity);
            }

            Assert.DoesNotContain(report.Actions, a => a.Action.Kind is BidActionKind.Pause or BidActionKind.Cancel);
            _market.Advance(Step);
        }

        Assert.Equal(running, Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet());
        Assert.Equal(4, _market.Market.SnapshotBids().Count(b => b.InstanceType == "it_deva100x4")); // 14 more GPUs on 4-GPU nodes
    }

    [Fact]
    public async Task SteadyQueue_PreferredPoolCannotGrowWithinTheBudget_NothingIsRepacked()
    {
        // $56 an hour: exactly the two h100 nodes. The preferred pool could not grow without releasing first.
        var reconciler = await CapacityInTheFallbackPoolAsync(Options(budget: 56m));
        var running = Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet();

        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(10); t += Step)
        {
            var report = await Tick(reconciler, 16);
            Assert.DoesNotContain(report.Actions, MovesCapacity);
            _market.Advance(Step);
        }

        Assert.Equal(running, Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet());
        Assert.Equal(16, _market.Market.RunningGpus);
    }

    [Fact]
    public async Task AfterARestart_NothingIsReleasedBeforeScaleDownAfterHasBeenObserved()
    {
        await CapacityInTheFallbackPoolAsync(Options());
        var restarted = Reconciler(Options(), seed: 9);
        var running = Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet();

        // The queue is empty after the restart: a surplus, but this process has not watched it for 5 min yet.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(5); t += Step)
        {
            var report = await Tick(restarted, 0);
            Assert.DoesNotContain(report.Actions, MovesCapacity);
            _market.Advance(Step);
        }

        Assert.Equal(running, Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet());

        // Once observed long enough, the surplus is given back.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(3); t += Step)
        {
            await Tick(restarted, 0);
            _market.Advance(Step);
        }

        Assert.Empty(Allocated("it_devh100x8"));
    }

    [Fact]
    public async Task AfterARestart_ItObservesForScaleUpAfter_EvenWhenUrgent()
    {
        await CapacityInTheFallbackPoolAsync(Options());
        var restarted = Reconciler(Options(), seed: 9);
        var before = _market.Market.SnapshotBids().Count;

        var first = await Tick(restarted, 40, urgent: true);
        _market.Advance(Step);
        var second = await Tick(restarted, 40, urgent: true);

        Assert.Equal(ReasonCodes.Observing, first.Gate.Code);
        Assert.Equal(ReasonCodes.Observing, second.Gate.Code);
        Assert.Empty(first.Actions.Concat(second.Actions));
        Assert.Equal(before, _market.Market.SnapshotBids().Count);

        _market.Advance(Step);
        var third = await Tick(restarted, 40, urgent: true);
        Assert.Contains(third.Actions, a => a.Action.Kind == BidActionKind.Create);
    }

    [Fact]
    public async Task ANewLeadershipTerm_ObservesAfresh()
    {
        var reconciler = await CapacityInTheFallbackPoolAsync(Options());
        reconciler.BeginTerm();

        var report = await Tick(reconciler, 40, urgent: true);

        Assert.Equal(ReasonCodes.Observing, report.Gate.Code);
        Assert.Empty(report.Actions);
    }

    [Fact]
    public async Task Rebalance_IsMakeBeforeBreak_AndOnlyWhenTheSavingPassesTheThreshold()
    {
        var (reconciler, a100) = await TwoA100NodesThenACheaperH100Async(0.01m);

        var moves = 0;
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(25); t += Step)
        {
            var runningBefore = _market.Market.SnapshotInstances().Where(i => i.Status == InstanceStatus.Running).Select(i => i.InstanceType).ToList();
            var report = await Tick(reconciler, 8);
            var released = report.Actions.Where(a => a.Action.Kind is BidActionKind.Pause or BidActionKind.Cancel && a100.Contains(a.Action.BidFid!)).ToList();
            if (released.Any(a => a.Action.ReasonCode == ReasonCodes.Rebalance))
            {
                // Break only after make: the h100 replacement already runs.
                Assert.Contains("it_devh100x8", runningBefore);
                moves++;
            }

            Assert.False(released.Count > 0 && report.Actions.Any(a => a.Action.Kind is BidActionKind.Create or BidActionKind.Resume), "added and released in one tick");
            var live = _market.Market.SnapshotBids().Where(b => b.Status is not (BidStatus.Paused or BidStatus.Terminated)).ToList();
            Assert.True(live.Count <= 3, "one move at a time: at most the two a100 nodes and one replacement");
            _market.Advance(Step);
        }

        Assert.Equal(1, moves);
        Assert.Single(Allocated("it_devh100x8"));
        Assert.Empty(Allocated("it_deva100x4")); // the other a100 node left as surplus once the h100 node covered the demand
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)] // the move would save about $0.05 over scale_down_after
    public async Task Rebalance_OffOrBelowTheThreshold_CapacityStaysWhereItIs(double? threshold)
    {
        var (reconciler, a100) = await TwoA100NodesThenACheaperH100Async((decimal?)threshold);
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(15); t += Step)
        {
            Assert.Empty((await Tick(reconciler, 8)).Actions);
            _market.Advance(Step);
        }

        Assert.Equal(a100, Allocated("it_deva100x4").Select(b => b.Fid).ToHashSet());
        Assert.DoesNotContain(_market.Market.SnapshotBids(), b => b.InstanceType == "it_devh100x8");
    }

    [Fact]
    public async Task OldestJobWaitedReleaseBelowWait_NothingIsReleased_UntilTheQueueIsYoung()
    {
        var options = Options() with { ReleaseBelowWait = TimeSpan.FromMinutes(1) };
        var reconciler = await CapacityInTheFallbackPoolAsync(options);
        var running = Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet();

        // The queue rule wants 4 GPUs of the 16 held, but the oldest pending job has waited 90 s: every GPU is busy.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(10); t += Step)
        {
            var report = await Tick(reconciler, 4, oldestWait: 90);
            Assert.DoesNotContain(report.Actions, a => a.Action.Kind is BidActionKind.Pause or BidActionKind.Cancel);
            _market.Advance(Step);
        }

        Assert.Equal(running, Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet());

        // The queue turns young: the surplus lasts scale_down_after and a node is given back.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(7); t += Step)
        {
            await Tick(reconciler, 4, oldestWait: 10);
            _market.Advance(Step);
        }

        Assert.Single(Allocated("it_devh100x8"));
    }

    [Theory]
    [InlineData(null, 1)] // no band: the queue rule's 8 GPUs of the 16 held, one h100 node goes
    [InlineData(0.5, 2)] // 8 jobs at 0.5 a GPU still need the 16 GPUs held: nothing goes
    public async Task ReleaseBand_KeepsWhatTheQueueNeedsAtReleaseJobsPerGpu(double? release, int nodesLeft)
    {
        var options = Options() with { TargetJobsPerGpu = 1, ReleaseJobsPerGpu = release };
        var reconciler = await CapacityInTheFallbackPoolAsync(options);
        var running = Allocated("it_devh100x8").Select(b => b.Fid).ToHashSet();

        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(10); t += Step)
        {
            await Tick(reconciler, 8);
            _market.Advance(Step);
        }

        Assert.Equal(nodesLeft, Allocated("it_devh100x8").Count(b => running.Contains(b.Fid)));

        // The queue falls below the band (4 jobs at 0.5 a GPU: 8 GPUs): the surplus lasts scale_down_after and a node goes.
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(7); t += Step)
        {
            await Tick(reconciler, 4);
            _market.Advance(Step);
        }

        Assert.Single(Allocated("it_devh100x8"));
    }

    [Fact]
    public async Task OldestJobDue_GrowsAtUrgentJobsPerGpu_WithoutWaitingForScaleUpAfter()
    {
        // Due at 300 − 120 = 180 s of wait; the queue rule alone (1 job a GPU) would ask 16 GPUs, the urgent one 32.
        var options = Options() with { TargetJobsPerGpu = 1, UrgentJobsPerGpu = 0.5, WaitLead = TimeSpan.FromMinutes(2), ScaleUpAfter = TimeSpan.FromMinutes(3) };
        var reconciler = await CapacityInTheFallbackPoolAsync(options);

        var young = await Tick(reconciler, 16, oldestWait: 170);
        _market.Advance(Step);
        var due = await Tick(reconciler, 16, oldestWait: 200);

        Assert.Equal(ReasonCodes.Steady, young.Gate.Code);
        Assert.Empty(young.Actions);
        Assert.Equal((ReasonCodes.WaitDue, 32L), (due.Gate.Code, due.Gate.TargetGpus));
        Assert.Equal(4, due.Actions.Count(a => a.Action.Kind == BidActionKind.Create)); // 16 more GPUs on 4-GPU a100 nodes
        Assert.DoesNotContain(due.Actions, a => a.Action.Kind is BidActionKind.Pause or BidActionKind.Cancel);
    }
}
