using Etrid.Burst.Policy;
using Etrid.DevMarket.Market;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Models;
using Etrid.Mithril.Tests.Api;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Policy;

/// <summary>The tracker on the dev market's own listings over HTTP.</summary>
public sealed class BidTrackerMarketTests
{
    [Fact]
    public async Task APausedThenResumedBid_ReportsItsNewRunningInstance_NotThePausedOne()
    {
        // The resumed bid comes back on a new instance while the paused one is still listed, as the issue saw it.
        await using var market = await MarketHarness.StartAsync(new DevMarketOptions { ApiToken = MarketHarness.Token, ResumeOnNewInstance = true });
        using var client = market.Client();
        const string name = "etrid-h100-aaaaaaaa-00001";
        var bid = await client.CreateBidAsync(TestBids.Request(market, name, limit: "$60.00"), default);
        market.Advance(TimeSpan.FromMinutes(5)); // an auction round, then a cold boot
        await client.PauseBidAsync(bid.Fid, default);
        market.Advance(market.Market.Options.PauseStop);
        await client.ResumeBidAsync(bid.Fid, default);
        market.Advance(market.Market.Options.AuctionInterval + market.Market.Options.ResumeBoot);

        var listing = await client.ListBidsAsync(new BidQuery { Project = market.Project }, default);
        var instances = await client.ListBidInstancesAsync(market.Project, [bid.Fid], default);
        var observed = new BidTracker("etrid-h100").Observe(listing.Select(MithrilCapacityMarket.ToMarket).ToList(), instances.Select(MithrilCapacityMarket.ToMarket).ToList(), "aaaaaaaa", market.Time.GetUtcNow()).Single();

        Assert.Equal(["STATUS_PAUSED", "STATUS_RUNNING"], instances.OrderBy(i => i.CreatedAt).Select(i => i.StatusText));
        Assert.Equal(Burst.Market.BidStatus.Allocated, observed.Status);
        Assert.True(observed.InstanceRunning);
        Assert.Equal("STATUS_RUNNING", observed.InstanceStatus);
    }
}
