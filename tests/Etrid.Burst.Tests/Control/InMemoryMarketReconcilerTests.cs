using Etrid.Burst.Control;
using Etrid.Burst.Market;
using Etrid.Burst.Naming;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.Burst.Tests.Market;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Burst.Tests.Control;

/// <summary>
/// The real reconciler driving a provider that is not Mithril (an in-memory market that cannot pause), with nothing
/// of the controller edited: the seam a second cloud plugs into.
/// </summary>
public sealed class InMemoryMarketReconcilerTests
{
    private const string Type = "gpu-8";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCapacityMarket _market;

    public InMemoryMarketReconcilerTests() => _market = new InMemoryCapacityMarket(_time, (Type, 8));

    private static BurstOptions Options(int maxSuspended = 0) => new()
    {
        Enabled = true,
        MaxSuspendedBids = maxSuspended,
        AutoscalerConfig = new AutoscalerOptions { MaxAgents = 6, MaxIdleAgents = 0, IdleDecay = TimeSpan.FromMinutes(1) },
        PoolDetails = [new PoolOptions { PoolName = "gpu", InstanceType = Type, LimitPricePerGpuHour = 3.5m }],
    };

    private BurstReconciler Reconciler(BurstOptions options) =>
        new(options, _market, new Dictionary<string, int> { [Type] = 8 }, "1.0.0", "00ff", name => $"#!/bin/bash\necho {name}\n", new Random(3), _time);

    // One tick every 30 s of virtual time; the market's auction runs after each.
    private async Task<TickReport> Run(BurstReconciler reconciler, long pending, TimeSpan duration)
    {
        TickReport report = null!;
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(30))
        {
            report = await reconciler.TickAsync(new BurstTickInput { PendingJobs = pending, LocalGpus = 0 }, default);
            _market.Allocate();
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        return report;
    }

    [Fact]
    public async Task SustainedQueue_PlacesNamedBidsAtTheInstanceLimit_OnTheMarket()
    {
        var reconciler = Reconciler(Options());

        await Run(reconciler, 24, TimeSpan.FromMinutes(2));

        // 24 pending jobs at one job per GPU: three nodes of 8 GPUs, each at 3.50 $/GPU-h × 8 = 2800 cents an hour.
        Assert.Equal(3, _market.Created.Count);
        Assert.All(_market.Created, c => Assert.Equal(2800, c.LimitCents));
        Assert.All(_market.Created, c => Assert.True(BidNaming.IsOwned(c.Name, BidNaming.BaseFor("gpu")), c.Name));
        Assert.All(_market.Created, c => Assert.Equal($"#!/bin/bash\necho {c.Name}\n", c.StartupScript));
        Assert.Equal(3, _market.WithStatus(BidStatus.Allocated).Count());
    }

    [Fact]
    public async Task DrainedQueue_OnAMarketThatCannotPause_CancelsEveryNode_EvenWithMaxSuspendedBids()
    {
        // max_suspended_bids asks for paused bids; the market has none to give, so the reconciler never asks to pause.
        var reconciler = Reconciler(Options(maxSuspended: 2));
        await Run(reconciler, 24, TimeSpan.FromMinutes(7));
        Assert.Equal(3, _market.WithStatus(BidStatus.Allocated).Count());

        var report = await Run(reconciler, 0, TimeSpan.FromMinutes(7));

        Assert.Equal(3, _market.WithStatus(BidStatus.Terminated).Count());
        Assert.Empty(_market.WithStatus(BidStatus.Paused));
        Assert.Empty(report.Failures);
    }

    [Fact]
    public async Task ListingThatFails_HoldsTheTick_WithItsReason()
    {
        var reconciler = new BurstReconciler(Options(), new FailingMarket(_market), new Dictionary<string, int> { [Type] = 8 }, "1.0.0", "00ff", _ => "", new Random(3), _time);

        var report = await reconciler.TickAsync(new BurstTickInput { PendingJobs = 24, LocalGpus = 0 }, default);

        Assert.Equal(ReasonCodes.ListingFailed, report.Gate.Code);
        Assert.Contains("gpu: listing failed (market down)", report.Failures);
        Assert.Empty(_market.Created);
    }

    // Lists nothing: every listing fails the way a provider reports an outage.
    private sealed class FailingMarket(ICapacityMarket inner) : ICapacityMarket
    {
        public MarketCapabilities Capabilities => inner.Capabilities;

        public MarketPlacement Placement => inner.Placement;

        public Task<Startup.StartupReport> CheckAsync(IReadOnlyList<PoolOptions> pools, string path, CancellationToken cancellationToken) => inner.CheckAsync(pools, path, cancellationToken);

        public Task<IReadOnlyList<MarketInstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken) => inner.ListInstanceTypesAsync(cancellationToken);

        public Task<IReadOnlyList<MarketBid>> ListBidsAsync(string instanceType, CancellationToken cancellationToken) => throw new CapacityMarketException("market down");

        public Task<IReadOnlyList<MarketNode>> ListNodesAsync(IReadOnlyCollection<string> bidIds, CancellationToken cancellationToken) => inner.ListNodesAsync(bidIds, cancellationToken);

        public Task<long?> GetSpotPriceCentsAsync(string instanceType, CancellationToken cancellationToken) => inner.GetSpotPriceCentsAsync(instanceType, cancellationToken);

        public Task CreateBidAsync(MarketBidRequest request, CancellationToken cancellationToken) => inner.CreateBidAsync(request, cancellationToken);

        public Task PauseBidAsync(string bidId, CancellationToken cancellationToken) => inner.PauseBidAsync(bidId, cancellationToken);

        public Task ResumeBidAsync(string bidId, CancellationToken cancellationToken) => inner.ResumeBidAsync(bidId, cancellationToken);

        public Task<bool> CancelBidAsync(string bidId, CancellationToken cancellationToken) => inner.CancelBidAsync(bidId, cancellationToken);
    }
}
