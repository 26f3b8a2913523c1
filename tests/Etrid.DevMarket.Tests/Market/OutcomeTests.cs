using Etrid.DevMarket.Market;
using Etrid.Mithril.Models;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.DevMarket.Tests.Market;

/// <summary>The market's state machine alone, without HTTP: each operation answers a typed outcome.</summary>
public sealed class OutcomeTests : IDisposable
{
    private readonly global::Etrid.DevMarket.Market.DevMarket _market =
        new(new DevMarketOptions { ApiToken = "fkey_outcomes" }, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));

    public void Dispose() => _market.Dispose();

    private CreateBidRequest Request(string name, string limit = "$40.00") => new()
    {
        Project = _market.Options.ProjectId,
        Region = _market.Options.Region,
        InstanceType = _market.Options.InstanceTypes[0].Fid,
        LimitPrice = limit,
        Name = name,
        LaunchSpecification = new LaunchSpecification { SshKeys = [_market.Options.SshKeyId] },
    };

    [Fact]
    public void CreateBid_Valid_IsCreatedWithTheBid()
    {
        var outcome = _market.CreateBid(Request("typed"));

        Assert.Equal(MarketOutcomeKind.Created, outcome.Kind);
        Assert.Equal("typed", Assert.IsType<Bid>(outcome.Value).Name);
    }

    [Fact]
    public void CreateBid_BadPriceAndName_IsInvalidWithEveryProblem()
    {
        var outcome = _market.CreateBid(Request("", "40"));

        Assert.Equal(MarketOutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(["limit_price", "name"], outcome.Problems.Select(p => p.Loc[1].ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CreateBid_OtherProject_IsNotFound()
    {
        var outcome = _market.CreateBid(Request("elsewhere") with { Project = "proj_other" });

        Assert.Equal(MarketOutcomeKind.NotFound, outcome.Kind);
        Assert.Equal("Project not found", outcome.Reason);
    }

    [Fact]
    public void UpdateBid_Cancelled_IsRefused_AndCancelAgainIsDeleted()
    {
        var fid = Assert.IsType<Bid>(_market.CreateBid(Request("gone")).Value).Fid;
        Assert.Same(MarketOutcome.Deleted, _market.CancelBid(fid));

        var update = _market.UpdateBid(fid, new UpdateBidRequest { Paused = true });

        Assert.Equal(MarketOutcomeKind.Refused, update.Kind);
        Assert.Equal(MarketOutcomeKind.Deleted, _market.CancelBid(fid).Kind);
    }

    [Fact]
    public void GetBid_Unknown_IsNotFound()
    {
        Assert.Equal(MarketOutcomeKind.NotFound, _market.GetBid("bid_unknown").Kind);
    }
}
