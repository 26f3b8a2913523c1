using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Models;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Api;

public sealed class PaginationTests : IAsyncLifetime
{
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task ListBids_SeveralPages_FollowsTheCursorToTheEnd()
    {
        using var writer = _market.Client();
        var names = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            names.Add((await writer.CreateBidAsync(TestBids.Request(_market, $"etrid-pg-{i}"), default)).Name);
        }

        _market.Server.ClearRequests();
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, PageSize = 3 });

        var bids = await client.ListBidsAsync(new BidQuery { Project = _market.Project }, default);

        Assert.Equal(names, bids.Select(b => b.Name));
        var pages = _market.Server.Requests;
        Assert.Equal(3, pages.Count);
        Assert.DoesNotContain("next_cursor", pages[0].QueryString, StringComparison.Ordinal);
        Assert.All(pages.Skip(1), p => Assert.Contains("next_cursor=", p.QueryString, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListBids_MorePagesThanTheBound_Throws()
    {
        using var writer = _market.Client();
        for (var i = 0; i < 5; i++)
        {
            await writer.CreateBidAsync(TestBids.Request(_market, $"etrid-pg-{i}"), default);
        }

        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, PageSize = 2, MaxPages = 2 });

        var e = await Assert.ThrowsAsync<MithrilResponseException>(() => client.ListBidsAsync(new BidQuery(), default));

        Assert.Contains("max_pages", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListInstances_SeveralPages_ReturnsEveryInstance()
    {
        using var writer = _market.Client();
        var fids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            fids.Add((await writer.CreateBidAsync(TestBids.Request(_market, $"etrid-in-{i}", limit: "$90.00"), default)).Fid);
        }

        _market.Advance(TimeSpan.FromMinutes(2));
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, PageSize = 2 });

        var instances = await client.ListBidInstancesAsync(_market.Project, fids, default);

        Assert.Equal(fids.Order(), instances.Select(i => i.Bid!).Order());
    }
}
