using Etrid.DevMarket.Faults;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Api;

/// <summary>A bid creation whose outcome is unknown is settled by looking the name up, never by a blind retry.</summary>
public sealed class CreateBidOutcomeTests : IAsyncLifetime
{
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Create_ResponseLostAfterProcessing_AdoptsTheBidWithoutADuplicate()
    {
        _market.Server.Faults.Enqueue(FaultKind.ServerErrorAfterProcessing);
        using var client = _market.Client();

        var bid = await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-x-00000000-lost1"), default), TimeSpan.FromMilliseconds(500));

        var stored = Assert.Single(_market.Market.SnapshotBids());
        Assert.Equal(stored.Fid, bid.Fid);
        Assert.Equal(["POST", "GET"], _market.Server.Requests.Select(r => r.Method));
        Assert.Contains(_market.Logs.Lines, l => l.Id.Id == 604);
    }

    [Fact]
    public async Task Create_TimedOutAfterProcessing_AdoptsTheBidWithoutADuplicate()
    {
        _market.Server.Faults.Enqueue(FaultKind.TimeoutAfterProcessing);
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, RequestTimeout = TimeSpan.FromSeconds(30), RetryBaseDelay = o.RetryBaseDelay });

        var bid = await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-x-00000000-lost2"), default), TimeSpan.FromSeconds(1));

        Assert.Equal(bid.Fid, Assert.Single(_market.Market.SnapshotBids()).Fid);
    }

    [Fact]
    public async Task Create_FailedBeforeProcessing_PostsAgainWithTheSameName()
    {
        _market.Server.Faults.Enqueue(FaultKind.ServerError);
        using var client = _market.Client();

        var bid = await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-x-00000000-retry"), default), TimeSpan.FromMilliseconds(500));

        Assert.Equal("etrid-x-00000000-retry", Assert.Single(_market.Market.SnapshotBids()).Name);
        Assert.Equal(bid.Fid, _market.Market.SnapshotBids()[0].Fid);
        var posts = _market.Server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
    }

    [Fact]
    public async Task Create_EveryAttemptFails_ThrowsAndLeavesAtMostOneBid()
    {
        _market.Server.Faults.Settings = new FaultSettings { Rate500 = 1 };
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, MaxRetries = 1, CreateAttempts = 2, RetryBaseDelay = o.RetryBaseDelay, RequestTimeout = o.RequestTimeout, CircuitMinimumThroughput = 100 });

        await Assert.ThrowsAsync<MithrilApiException>(() => _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-x-00000000-never"), default), TimeSpan.FromMilliseconds(500)));

        Assert.Empty(_market.Market.SnapshotBids());
    }

    [Fact]
    public async Task Create_ThirtyPercentFaultsWithLostAnswers_NeverDuplicatesABid()
    {
        _market.Server.Faults.Settings = new FaultSettings { Rate429 = 0.1, Rate500 = 0.1, RateTimeout = 0.1, AfterProcessing = true, RetryAfterSeconds = 1 };
        using var client = _market.Client(o => new()
        {
            ApiEndpoint = o.ApiEndpoint,
            ApiToken = o.ApiToken,
            RequestTimeout = TimeSpan.FromSeconds(30),
            RetryBaseDelay = o.RetryBaseDelay,
            MaxRetries = 8,
            CreateAttempts = 5,
            CircuitMinimumThroughput = 1000,
            JitterSeed = 3,
        });

        var created = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var name = $"etrid-f-00000000-{i:00000}";
            try
            {
                created.Add((await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, name), default), TimeSpan.FromSeconds(1))).Name);
            }
            catch (MithrilException)
            {
                // A call may still fail after every attempt; what matters is that no name exists twice.
            }
        }

        var names = _market.Market.SnapshotBids().Select(b => b.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Subset(names.ToHashSet(), created.ToHashSet());

        // With five attempts against 30 % faults every create gets through (the faults are seeded): a run where
        // every create failed would leave nothing to duplicate and prove nothing.
        Assert.Equal(12, created.Count);
        Assert.Equal(created.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.True(_market.Server.Faults.Injected(FaultKind.ServerErrorAfterProcessing) + _market.Server.Faults.Injected(FaultKind.TimeoutAfterProcessing) > 0, "no answer was lost: the test proved nothing");
    }
}
