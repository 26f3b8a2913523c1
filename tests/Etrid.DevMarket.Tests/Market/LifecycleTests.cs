using Etrid.DevMarket.Market;
using Etrid.DevMarket.Tests.Support;

namespace Etrid.DevMarket.Tests.Market;

/// <summary>The bid and instance lifecycle with the timings of section 10, over HTTP, in virtual time.</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private MarketFixture _m = null!;

    public async Task InitializeAsync() => _m = await MarketFixture.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [Fact]
    public async Task Bid_AboveSpot_IsOpenUntilTheRound_ThenBootsInThreeMinutes()
    {
        var fid = (string)(await _m.CreateBidAsync("b1", "$40.00"))["fid"]!;
        Assert.Equal("Open", await _m.BidStatusAsync(fid));

        _m.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(5));
        Assert.Equal("Open", await _m.BidStatusAsync(fid));

        _m.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("Allocated", await _m.BidStatusAsync(fid));
        Assert.Equal("STATUS_STARTING", await _m.InstanceStatusAsync(fid));

        _m.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(5));
        Assert.Equal("STATUS_STARTING", await _m.InstanceStatusAsync(fid));
        Assert.Empty(_m.Changes);

        _m.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("STATUS_RUNNING", await _m.InstanceStatusAsync(fid));
        var change = Assert.Single(_m.Changes);
        Assert.True(change.Running);
        Assert.Equal(8, change.NumGpus);
        Assert.Equal(fid, change.BidFid);
        Assert.Equal(8, _m.Market.RunningGpus);
    }

    [Fact]
    public async Task Bid_BelowSpot_StaysOpen()
    {
        var fid = (string)(await _m.CreateBidAsync("low", "$1.00"))["fid"]!;

        for (var i = 0; i < 5; i++)
        {
            _m.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal("Open", await _m.BidStatusAsync(fid));
        Assert.Equal(5, _m.Market.Rounds);
    }

    [Fact]
    public async Task Pause_StopsIn150Seconds_ResumeRunsAgainIn100Seconds()
    {
        var fid = (string)(await _m.CreateBidAsync("p", "$40.00"))["fid"]!;
        _m.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("STATUS_RUNNING", await _m.InstanceStatusAsync(fid));

        var (status, paused) = await _m.SendAsync(HttpMethod.Patch, $"v2/spot/bids/{fid}", """{"paused":true}""");
        Assert.Equal(200, status);
        Assert.Equal("Paused", (string)paused!["status"]!);
        Assert.Equal("STATUS_STOPPING", await _m.InstanceStatusAsync(fid));
        Assert.False(_m.Changes.Last().Running);

        _m.Advance(TimeSpan.FromSeconds(150));
        Assert.Equal("STATUS_PAUSED", await _m.InstanceStatusAsync(fid));

        var (_, resumed) = await _m.SendAsync(HttpMethod.Patch, $"v2/spot/bids/{fid}", """{"paused":false}""");
        Assert.Equal("Allocated", (string)resumed!["status"]!);
        Assert.Equal("STATUS_STARTING", await _m.InstanceStatusAsync(fid));
        _m.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal("STATUS_RUNNING", await _m.InstanceStatusAsync(fid));
        Assert.Equal([true, false, true], _m.Changes.Select(c => c.Running));
        Assert.Single(_m.Market.SnapshotInstances()); // the same instance came back
    }

    [Fact]
    public async Task SpotAboveLimit_Preempts_FiveMinuteWindow_ThenBidIsOpenAgain()
    {
        var fid = (string)(await _m.CreateBidAsync("pre", "$20.00"))["fid"]!;
        _m.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("STATUS_RUNNING", await _m.InstanceStatusAsync(fid));

        var (priceStatus, _) = await _m.SendAsync(HttpMethod.Post, "_control/price", """{"instance_type":"it_devh100x8","spot_price_cents":2500}""");
        Assert.Equal(204, priceStatus);
        _m.Advance(TimeSpan.FromMinutes(1)); // the next round is at 6 minutes

        Assert.Equal("Preempting", await _m.BidStatusAsync(fid));
        Assert.Equal("STATUS_PREEMPTING", await _m.InstanceStatusAsync(fid));
        Assert.False(_m.Changes.Last().Running);

        _m.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("Open", await _m.BidStatusAsync(fid));
        var (_, instances) = await _m.GetAsync($"v2/instances?project=proj_devmarket01&status_in=STATUS_PREEMPTED");
        Assert.Single(instances!["data"]!.AsArray());

        // The price falls back: the bid wins again by itself, on a new instance.
        _m.Market.SetSpotPrice("it_devh100x8", 1500);
        _m.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("Allocated", await _m.BidStatusAsync(fid));
    }

    [Fact]
    public async Task Cancel_TerminatesBidAndInstance_AndIsRepeatable()
    {
        var fid = (string)(await _m.CreateBidAsync("c", "$40.00"))["fid"]!;
        _m.Advance(TimeSpan.FromMinutes(5));

        var (first, body) = await _m.SendAsync(HttpMethod.Delete, $"v2/spot/bids/{fid}");
        var (second, _) = await _m.SendAsync(HttpMethod.Delete, $"v2/spot/bids/{fid}");
        var (unknown, _) = await _m.SendAsync(HttpMethod.Delete, "v2/spot/bids/bid_nope");

        Assert.Equal(204, first);
        Assert.Null(body);
        Assert.Equal(204, second);
        Assert.Equal(404, unknown);
        Assert.Equal("Terminated", await _m.BidStatusAsync(fid));
        Assert.Equal("STATUS_TERMINATED", await _m.InstanceStatusAsync(fid));
        Assert.Equal(0, _m.Market.RunningGpus);
    }

    [Fact]
    public async Task Capacity_OneSlot_GoesToTheHighestLimit()
    {
        await using var m = await MarketFixture.StartAsync(new DevMarketOptions
        {
            ApiToken = MarketFixture.Token,
            InstanceTypes = [new DevInstanceType { Fid = "it_devh100x8", Name = "h100.80gb.sxm", NumGpus = 8, BasePriceCents = 1600, Capacity = 1 }],
        });
        var low = (string)(await m.CreateBidAsync("low", "$30.00"))["fid"]!;
        var high = (string)(await m.CreateBidAsync("high", "$35.00"))["fid"]!;

        m.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("Open", await m.BidStatusAsync(low));
        Assert.Equal("Allocated", await m.BidStatusAsync(high));
    }

    [Fact]
    public void PricePath_SameSeed_SamePrices_PinnedPriceHolds()
    {
        static List<long> Path(int seed)
        {
            using var market = new global::Etrid.DevMarket.Market.DevMarket(new DevMarketOptions { Seed = seed }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
            var prices = new List<long>();
            for (var i = 0; i < 30; i++)
            {
                market.RunAuctionRound();
                prices.Add(market.SpotPriceCents("it_devh100x8"));
            }

            return prices;
        }

        Assert.Equal(Path(5), Path(5));
        Assert.NotEqual(Path(5), Path(6));
        Assert.True(Path(5).Distinct().Count() > 5, "the price never moved");

        using var pinned = new global::Etrid.DevMarket.Market.DevMarket(new DevMarketOptions(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        pinned.SetSpotPrice("it_devh100x8", 1234);
        for (var i = 0; i < 10; i++)
        {
            pinned.RunAuctionRound();
        }

        Assert.Equal(1234, pinned.SpotPriceCents("it_devh100x8"));
    }
}
