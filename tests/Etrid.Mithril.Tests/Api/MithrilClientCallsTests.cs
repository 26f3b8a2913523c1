using Etrid.Mithril.Api;
using Etrid.Mithril.Models;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Api;

/// <summary>Every call of the client against the dev market over real HTTP.</summary>
public sealed class MithrilClientCallsTests : IAsyncLifetime
{
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task AccountCalls_ReadTheAccountProjectAndKeys()
    {
        using var client = _market.Client();
        var me = await client.GetMeAsync(default);
        var projects = await client.ListProjectsAsync(default);
        var keys = await client.ListSshKeysAsync(_market.Project, default);
        var quotas = await client.ListQuotasAsync(_market.Project, default);

        Assert.StartsWith("user_", me.Fid, StringComparison.Ordinal);
        Assert.Equal([_market.Project], projects.Select(p => p.Fid));
        Assert.Equal([_market.SshKey], keys.Select(k => k.Fid));
        var spot = Assert.Single(quotas, q => q.InstanceType == TestBids.H100);
        Assert.Equal(("Spot", false), (spot.ProductType, spot.Exhausted));
    }

    [Fact]
    public async Task MarketCalls_ReadGpuCountsPricesAndAvailability()
    {
        using var client = _market.Client();
        var types = await client.ListInstanceTypesAsync(default);
        var availability = await client.ListSpotAvailabilityAsync(default);
        var prices = await client.GetCurrentPricesAsync(TestBids.H100, _market.Region, default);

        Assert.Equal(8, types.Single(t => t.Fid == TestBids.H100).NumGpus);
        Assert.Equal(_market.Market.Options.InstanceTypes.Select(t => (t.Fid, t.NumGpus)), types.Select(t => (t.Fid, t.NumGpus)));
        Assert.Contains(availability, a => a.InstanceType == TestBids.H100 && a.Region == _market.Region && a.Capacity > 0);
        Assert.Equal(_market.Market.SpotPriceCents(TestBids.H100), prices.UsableSpotPriceCents);
    }

    [Fact]
    public async Task BidCalls_CreateGetPauseResumeRepriceCancel()
    {
        using var client = _market.Client();
        var created = await client.CreateBidAsync(TestBids.Request(_market, "etrid-h100-abcdef12-k2x7q"), default);
        Assert.Equal(BidStatus.Open, created.Status);
        Assert.Equal(4000, created.LimitPriceCents);

        var fetched = await client.GetBidAsync(created.Fid, default);
        Assert.Equal(created.Name, fetched.Name);

        var paused = await client.PauseBidAsync(created.Fid, default);
        Assert.Equal(BidStatus.Paused, paused.Status);

        var resumed = await client.ResumeBidAsync(created.Fid, default);
        Assert.NotEqual(BidStatus.Paused, resumed.Status);

        var repriced = await client.SetLimitPriceAsync(created.Fid, 4400, default);
        Assert.Equal("$44.00", repriced.LimitPrice);

        Assert.True(await client.CancelBidAsync(created.Fid, default));
        Assert.Equal(BidStatus.Terminated, (await client.GetBidAsync(created.Fid, default)).Status);
    }

    [Fact]
    public async Task CancelBid_UnknownBid_ReportsAlreadyGone()
    {
        using var client = _market.Client();
        Assert.False(await client.CancelBidAsync("bid_doesnotexist", default));
    }

    [Fact]
    public async Task ListBids_Filters_ReturnOnlyMatchingBids()
    {
        using var client = _market.Client();
        var a = await client.CreateBidAsync(TestBids.Request(_market, "etrid-a-00000000-aaaaa"), default);
        await client.CreateBidAsync(TestBids.Request(_market, "etrid-b-00000000-bbbbb"), default);
        await client.PauseBidAsync(a.Fid, default);

        var byName = await client.ListBidsAsync(new BidQuery { Project = _market.Project, Name = "etrid-b-00000000-bbbbb" }, default);
        var paused = await client.ListBidsAsync(new BidQuery { Project = _market.Project, Status = BidStatus.Paused }, default);
        var found = await client.FindBidByNameAsync(_market.Project, "etrid-a-00000000-aaaaa", default);
        var missing = await client.FindBidByNameAsync(_market.Project, "etrid-none", default);

        Assert.Equal(["etrid-b-00000000-bbbbb"], byName.Select(b => b.Name));
        Assert.Equal([a.Fid], paused.Select(b => b.Fid));
        Assert.Equal(a.Fid, found?.Fid);
        Assert.Null(missing);
    }

    [Fact]
    public async Task ListBidInstances_AfterAllocationAndBoot_ShowsTheRunningInstance()
    {
        using var client = _market.Client();
        var bid = await client.CreateBidAsync(TestBids.Request(_market, "etrid-run-00000000-abcde", limit: "$60.00"), default);

        // One auction round (2 min) allocates; a cold boot (3 min) makes it usable.
        _market.Advance(TimeSpan.FromMinutes(2));
        var allocated = await client.GetBidAsync(bid.Fid, default);
        var booting = await client.ListBidInstancesAsync(_market.Project, [bid.Fid], default);
        _market.Advance(TimeSpan.FromMinutes(3));
        var running = await client.ListBidInstancesAsync(_market.Project, [bid.Fid], default);

        Assert.Equal(BidStatus.Allocated, allocated.Status);
        Assert.Equal(InstanceStatus.Starting, Assert.Single(booting).Status);
        var instance = Assert.Single(running);
        Assert.Equal(InstanceStatus.Running, instance.Status);
        Assert.Equal(bid.Fid, instance.Bid);
        Assert.NotNull(instance.SshDestination);
    }

    [Fact]
    public async Task EveryRequestTheClientSends_ValidatesAgainstTheOpenApiDocument()
    {
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, PageSize = 2 });
        await client.GetMeAsync(default);
        await client.ListProjectsAsync(default);
        await client.ListSshKeysAsync(_market.Project, default);
        await client.ListQuotasAsync(_market.Project, default);
        await client.ListInstanceTypesAsync(default);
        await client.ListSpotAvailabilityAsync(default);
        await client.GetCurrentPricesAsync(TestBids.H100, _market.Region, default);
        await client.GetCurrentPricesAsync(TestBids.H100, null, default);
        var bids = new List<Bid>();
        for (var i = 0; i < 5; i++)
        {
            bids.Add(await client.CreateBidAsync(TestBids.Request(_market, $"etrid-v-00000000-{i:00000}", script: i == 0 ? null : "#!/bin/bash\n"), default));
        }

        await client.CreateBidAsync(TestBids.Request(_market, "etrid-v-mem") with { LaunchSpecification = new LaunchSpecification { MemoryGb = 64, ImageVersion = "imgver_abc" }, NotificationEmail = "ops@example.invalid" }, default);
        await client.ListBidsAsync(new BidQuery { Project = _market.Project, InstanceType = TestBids.H100, Region = _market.Region, SortBy = "created_at", SortDirection = "desc" }, default);
        await client.ListBidsAsync(new BidQuery { Status = BidStatus.Open, SortBy = "status", SortDirection = "asc" }, default);
        await client.ListBidsPageAsync(new BidQuery { Project = _market.Project }, 100, null, default);
        await client.GetBidAsync(bids[0].Fid, default);
        await client.PauseBidAsync(bids[0].Fid, default);
        await client.ResumeBidAsync(bids[0].Fid, default);
        await client.SetLimitPriceAsync(bids[1].Fid, 5000, default);
        await client.UpdateBidAsync(bids[1].Fid, new UpdateBidRequest { Volumes = [], MemoryGb = 32 }, default);
        _market.Advance(TimeSpan.FromMinutes(2));
        await client.ListBidInstancesAsync(_market.Project, bids.Select(b => b.Fid).ToList(), default);
        await client.ListInstancesAsync(new InstanceQuery { Project = _market.Project, Statuses = [InstanceStatus.Starting, InstanceStatus.Running], InstanceType = TestBids.H100, Region = _market.Region }, default);
        await client.CancelBidAsync(bids[2].Fid, default);
        await client.CancelBidAsync(bids[2].Fid, default);

        var requests = _market.Server.Requests;
        Assert.True(requests.Count >= 25, $"only {requests.Count} requests captured");
        Assert.All(requests, r =>
        {
            Assert.True(r.Operation is not null, $"{r.Method} {r.Path} is not an operation of the document");
            Assert.True(r.Problems.Count == 0, $"{r.Method} {r.Path}{r.QueryString}: {string.Join("; ", r.Problems)}");
            Assert.True(r.Authorized, $"{r.Method} {r.Path} carried no valid bearer key");
            Assert.InRange(r.Status, 200, 299);
        });
    }
}
