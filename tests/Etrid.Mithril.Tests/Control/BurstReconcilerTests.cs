using Etrid.Burst.Control;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.DevMarket.Faults;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;
using Etrid.Mithril.Pricing;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Control;

/// <summary>The policy acting on the dev market over HTTP, tick by tick in virtual time.</summary>
public sealed class BurstReconcilerTests : IAsyncLifetime
{
    private static readonly Dictionary<string, int> Gpus = new() { ["it_devh100x8"] = 8, ["it_deva100x4"] = 4, ["it_devl40sx1"] = 1 };
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    private MithrilAutoOptions Options(int maxSuspended = 2, decimal? budget = null, int maxAgents = 6, params PoolOptions[] pools) => new()
    {
        Enabled = true,
        ProjectId = _market.Project,
        Region = _market.Region,
        ApiToken = MarketHarness.Token,
        ApiEndpoint = _market.Url,
        SshKeyIds = [_market.SshKey],
        MaxSuspendedBids = maxSuspended,
        MaxHourlySpendUsd = budget,
        AutoscalerConfig = new AutoscalerOptions { MaxAgents = maxAgents, MaxIdleAgents = 0, IdleDecay = TimeSpan.FromMinutes(1) },
        PoolDetails = pools.Length > 0 ? pools : [new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m }],
    };

    private BurstReconciler Reconciler(MithrilAutoOptions options, IMithrilApi client, int seed = 3) =>
        new(options, new MithrilCapacityMarket(options, client), Gpus, "1.0.0", "00ff", name => $"#!/bin/bash\necho {name}\n", new Random(seed), _market.Time);

    private Task<TickReport> Tick(BurstReconciler reconciler, long pending) =>
        _market.PumpAsync(reconciler.TickAsync(new BurstTickInput { PendingJobs = pending, LocalGpus = 0 }, default), TimeSpan.FromSeconds(1));

    private List<Bid> Live(string? type = null) =>
        _market.Market.SnapshotBids().Where(b => b.Status is not (BidStatus.Terminated or BidStatus.Paused) && (type is null || b.InstanceType == type)).ToList();

    private List<Bid> WithStatus(BidStatus status) => _market.Market.SnapshotBids().Where(b => b.Status == status).ToList();

    [Fact]
    public async Task SustainedBreach_PlacesBids_AfterScaleUpAfter()
    {
        using var client = _market.Client();
        var reconciler = Reconciler(Options(), client);

        await Tick(reconciler, 24);
        _market.Advance(TimeSpan.FromSeconds(30));
        await Tick(reconciler, 24);
        Assert.Empty(_market.Market.SnapshotBids());

        _market.Advance(TimeSpan.FromSeconds(30));
        var report = await Tick(reconciler, 24);

        Assert.Equal(3, Live().Count);
        Assert.All(Live(), b => Assert.Equal(MithrilPrice.Format(2800), b.LimitPrice)); // 3.50 $/GPU-h × 8 GPUs
        Assert.Equal(3, report.Actions.Count(a => a.Action.Kind == BidActionKind.Create));
    }

    [Fact]
    public async Task MinIdleAgents_KeepsASpareNode_AfterInitialDelay()
    {
        using var client = _market.Client();
        var options = Options();
        options = new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = options.ProjectId,
            Region = options.Region,
            ApiToken = options.ApiToken,
            SshKeyIds = options.SshKeyIds,
            PoolDetails = options.PoolDetails,
            AutoscalerConfig = new AutoscalerOptions { MaxAgents = 6, MinIdleAgents = 1, MaxIdleAgents = 1, InitialDelay = TimeSpan.FromMinutes(3) },
        };
        var reconciler = Reconciler(options, client);

        await Run(reconciler, 0, TimeSpan.FromMinutes(2.5));
        Assert.Empty(_market.Market.SnapshotBids());

        await Run(reconciler, 0, TimeSpan.FromMinutes(1));
        Assert.Single(Live());
    }

    [Fact]
    public async Task ShortSpike_PlacesNothing()
    {
        using var client = _market.Client();
        var reconciler = Reconciler(Options(), client);

        foreach (var pending in new long[] { 24, 24, 0, 24, 0, 0 })
        {
            await Tick(reconciler, pending);
            _market.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Empty(_market.Market.SnapshotBids());
    }

    [Fact]
    public async Task Drain_PausesUpToTheLimit_CancelsTheRest_ThenResumesBeforeCreating()
    {
        using var client = _market.Client();
        var reconciler = Reconciler(Options(maxSuspended: 2), client);
        await Run(reconciler, 24, TimeSpan.FromMinutes(7));
        Assert.Equal(3, WithStatus(BidStatus.Allocated).Count);

        await Run(reconciler, 0, TimeSpan.FromMinutes(7));
        Assert.Empty(Live());
        Assert.Equal(2, WithStatus(BidStatus.Paused).Count);
        Assert.Single(WithStatus(BidStatus.Terminated));

        var paused = WithStatus(BidStatus.Paused).Select(b => b.Fid).ToHashSet();
        await Run(reconciler, 24, TimeSpan.FromMinutes(2));
        Assert.Equal(3, Live().Count);
        Assert.Subset(Live().Select(b => b.Fid).ToHashSet(), paused);
        Assert.Equal(4, _market.Market.SnapshotBids().Count); // two resumed, one new
    }

    [Fact]
    public async Task PricedOutPool_IsSkipped_PreemptedCapacityIsReplacedFromTheNextPool()
    {
        using var client = _market.Client();
        var options = Options(pools:
        [
            new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m },
            new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 2m },
        ]);
        var reconciler = Reconciler(options, client);
        await Run(reconciler, 16, TimeSpan.FromMinutes(7));
        Assert.Equal(2, Live("it_devh100x8").Count);
        Assert.Empty(Live("it_deva100x4"));

        // The H100 spot price passes the limit: its bids are preempted and it is priced out.
        _market.Market.SetSpotPrice("it_devh100x8", 3000);
        await Run(reconciler, 16, TimeSpan.FromMinutes(4));

        Assert.All(Live("it_devh100x8"), b => Assert.NotEqual(BidStatus.Allocated, b.Status));
        Assert.Equal(4, Live("it_deva100x4").Count); // 16 GPUs on 4-GPU nodes
        Assert.Equal(2, Live("it_devh100x8").Count); // no new H100 bid while priced out
    }

    [Fact]
    public async Task ReasonCodes_SayWhy_BreachThenPreemptedAndPricedOut()
    {
        using var client = _market.Client();
        var options = Options(pools:
        [
            new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m },
            new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 2m },
        ]);
        var reconciler = Reconciler(options, client);
        var reports = new List<TickReport>();
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(7); t += TimeSpan.FromSeconds(30))
        {
            reports.Add(await Tick(reconciler, 16));
            _market.Advance(TimeSpan.FromSeconds(30));
        }

        _market.Market.SetSpotPrice("it_devh100x8", 3000);
        var before = reports.Count;
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(4); t += TimeSpan.FromSeconds(30))
        {
            reports.Add(await Tick(reconciler, 16));
            _market.Advance(TimeSpan.FromSeconds(30));
        }

        var first = reports.Take(before).SelectMany(r => r.Actions).ToList();
        Assert.All(first, a => Assert.Equal(ReasonCodes.BreachSustained, a.Action.ReasonCode));
        var later = reports.Skip(before).ToList();
        Assert.Contains(later.SelectMany(r => r.Actions), a => a.Pool == "a100" && a.Action.Kind == BidActionKind.Create && a.Action.ReasonCode == ReasonCodes.Preempted);
        Assert.Contains(later.SelectMany(r => r.Holds), h => h.Pool == "h100" && h.Code == ReasonCodes.PriceAboveLimit);
    }

    [Fact]
    public async Task Budget_CapsLiveBids()
    {
        using var client = _market.Client();
        var reconciler = Reconciler(Options(budget: 60m), client);

        await Run(reconciler, 80, TimeSpan.FromMinutes(5));

        Assert.Equal(2, Live().Count); // $28.00 each: a third would make $84 > $60
    }

    [Fact]
    public async Task Restart_AdoptsItsBids_WithoutDuplicates()
    {
        using var client = _market.Client();
        var first = Reconciler(Options(), client);
        await Run(first, 24, TimeSpan.FromMinutes(2));
        Assert.Equal(3, Live().Count);

        var second = Reconciler(Options(), client, seed: 3);
        await Run(second, 24, TimeSpan.FromMinutes(3));

        Assert.Equal(3, _market.Market.SnapshotBids().Count);
    }

    [Fact]
    public async Task DryRun_DecidesButChangesNothing()
    {
        using var client = _market.Client();
        var options = Options();
        options = new MithrilAutoOptions
        {
            Enabled = true,
            DryRun = true,
            ProjectId = options.ProjectId,
            Region = options.Region,
            ApiToken = options.ApiToken,
            SshKeyIds = options.SshKeyIds,
            PoolDetails = options.PoolDetails,
        };
        var reconciler = Reconciler(options, client);

        var report = await Tick(reconciler, 24);
        report = await Run(reconciler, 24, TimeSpan.FromMinutes(2));

        Assert.Empty(_market.Market.SnapshotBids());
        Assert.True(report.DryRun);
        Assert.Contains(report.Actions, a => a.Action.Kind == BidActionKind.Create);
    }

    [Fact]
    public async Task ADayWithThirtyPercentFaults_NoDuplicate_BudgetHeld_NothingLeftAfterTheDrain()
    {
        _market.Server.Faults.Settings = new FaultSettings { Rate429 = 0.1, Rate500 = 0.1, RateTimeout = 0.1, AfterProcessing = true, RetryAfterSeconds = 1 };
        // Virtual time moves only while no answer is being made, so a 2 s timeout fires only on an injected hang (and
        // each hang is pumped through in a few steps rather than 30).
        using var client = _market.FaultTolerantClient(jitterSeed: 5, requestTimeoutSeconds: 2);
        var reconciler = Reconciler(Options(maxSuspended: 0, budget: 90m), client);
        var demand = new (long Pending, int Minutes)[] { (40, 20), (0, 10), (16, 15), (48, 15), (0, 25) };
        foreach (var (pending, minutes) in demand)
        {
            for (var t = 0; t < minutes; t++)
            {
                await Tick(reconciler, pending);
                var bids = _market.Market.SnapshotBids();
                Assert.Equal(bids.Count, bids.Select(b => b.Name).Distinct().Count());
                Assert.True(bids.Where(b => b.Status is not (BidStatus.Terminated or BidStatus.Paused)).Sum(b => b.LimitPriceCents) <= 9000, "budget exceeded");
                _market.Advance(TimeSpan.FromMinutes(1));
            }
        }

        Assert.Empty(Live());
        Assert.True(_market.Server.Faults.Injected(FaultKind.ServerErrorAfterProcessing) + _market.Server.Faults.Injected(FaultKind.TimeoutAfterProcessing) > 5);
        Assert.True(_market.Market.SnapshotBids().Count >= 3, "the day never burst");
    }

    private async Task<TickReport> Run(BurstReconciler reconciler, long pending, TimeSpan duration)
    {
        TickReport report = null!;
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(30))
        {
            report = await Tick(reconciler, pending);
            _market.Advance(TimeSpan.FromSeconds(30));
        }

        return report;
    }
}
