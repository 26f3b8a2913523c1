using System.Net;
using Etrid.DevMarket.Faults;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Tests.Support;
using Etrid.Tests.Shared;

namespace Etrid.Mithril.Tests.Api;

/// <summary>Retries, Retry-After, the circuit breaker and timeouts, with faults injected by the dev market and virtual time.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Get_After429s_WaitsAtLeastRetryAfterBetweenAttempts()
    {
        _market.Server.Faults.Settings = new FaultSettings { RetryAfterSeconds = 7 };
        _market.Server.Faults.Enqueue(FaultKind.TooManyRequests, FaultKind.TooManyRequests);
        using var client = _market.Client();

        var me = await _market.PumpAsync(client.GetMeAsync(default), Step);

        Assert.NotEmpty(me.Fid);
        var times = _market.Server.Requests.Select(r => r.At).ToList();
        Assert.Equal(3, times.Count);

        // The back-off alone would wait about 100-200 ms; 7 s between attempts can only come from the header.
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(7), $"second attempt after {times[1] - times[0]}");
        Assert.True(times[2] - times[1] >= TimeSpan.FromSeconds(7), $"third attempt after {times[2] - times[1]}");
    }

    [Fact]
    public async Task Get_RetryAfterBeyondMaxDelay_WaitsOnlyTheMaxDelay()
    {
        _market.Server.Faults.Settings = new FaultSettings { RetryAfterSeconds = 600 };
        _market.Server.Faults.Enqueue(FaultKind.TooManyRequests);
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, RetryBaseDelay = o.RetryBaseDelay, RetryMaxDelay = TimeSpan.FromSeconds(10) });

        await _market.PumpAsync(client.GetMeAsync(default), Step);

        // A 600 s Retry-After is honoured up to retry_max_delay: the second attempt comes after 10 s, not 10 min
        // (the upper bound leaves room for the pump's virtual-time steps, far below the 600 s asked).
        var times = _market.Server.Requests.Select(r => r.At).ToList();
        Assert.Equal(2, times.Count);
        Assert.InRange(times[1] - times[0], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Get_After500s_RetriesUntilSuccess()
    {
        _market.Server.Faults.Enqueue(FaultKind.ServerError, FaultKind.ServerError, FaultKind.ServerError);
        using var client = _market.Client();

        var projects = await _market.PumpAsync(client.ListProjectsAsync(default), Step);

        Assert.Single(projects);
        Assert.Equal([500, 500, 500, 200], _market.Server.Requests.Select(r => r.Status));
        var stats = client.Stats.Snapshot();
        Assert.Equal(3, stats.Single(s => s.Operation == "GET /v2/projects" && s.Outcome == "500").Count);
        Assert.Equal(1, stats.Single(s => s.Operation == "GET /v2/projects" && s.Outcome == "200").Count);
    }

    [Fact]
    public async Task Get_RetriesExhausted_ThrowsTheLastStatusWithItsDetail()
    {
        _market.Server.Faults.Settings = new FaultSettings { Rate500 = 1 };
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, MaxRetries = 2, RetryBaseDelay = o.RetryBaseDelay, RequestTimeout = o.RequestTimeout, CircuitMinimumThroughput = 100 });

        var e = await Assert.ThrowsAsync<MithrilApiException>(() => _market.PumpAsync(client.GetMeAsync(default), Step));

        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("Internal server error", e.Detail);
        Assert.Equal(3, _market.Server.Requests.Count);
    }

    [Fact]
    public async Task Post_500BeforeProcessing_IsNotRetriedBlindly()
    {
        // POST is not idempotent: the pipeline must not repeat it; the client looks the name up first.
        _market.Server.Faults.Enqueue(FaultKind.ServerError);
        using var client = _market.Client();

        await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-p-00000000-aaaaa"), default), Step);

        var methods = _market.Server.Requests.Select(r => r.Method).ToList();
        Assert.Equal(["POST", "GET", "POST"], methods);
    }

    [Fact]
    public async Task Post_429_IsRetriedAfterRetryAfter()
    {
        _market.Server.Faults.Settings = new FaultSettings { RetryAfterSeconds = 3 };
        _market.Server.Faults.Enqueue(FaultKind.TooManyRequests);
        using var client = _market.Client();

        await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, "etrid-p-00000000-bbbbb"), default), Step);

        var requests = _market.Server.Requests;
        Assert.Equal(["POST", "POST"], requests.Select(r => r.Method));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(3));
        Assert.Single(_market.Market.SnapshotBids());
    }

    [Fact]
    public async Task CircuitBreaker_AfterRepeatedFailures_RefusesCallsWithoutSendingThem()
    {
        _market.Server.Faults.Settings = new FaultSettings { Rate500 = 1 };
        using var client = _market.Client(o => new()
        {
            ApiEndpoint = o.ApiEndpoint,
            ApiToken = o.ApiToken,
            MaxRetries = 0,
            CircuitMinimumThroughput = 4,
            CircuitFailureRatio = 0.5,
            CircuitBreakDuration = TimeSpan.FromSeconds(30),
        });

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<MithrilApiException>(() => client.GetMeAsync(default));
        }

        var refused = await Assert.ThrowsAsync<MithrilUnavailableException>(() => client.GetMeAsync(default));

        Assert.True(refused.CircuitOpen);
        Assert.Equal(4, _market.Server.Requests.Count);

        // After the break a probe goes through; the API has recovered, so the circuit closes.
        _market.Server.Faults.Clear();
        _market.Time.Advance(TimeSpan.FromSeconds(31));
        var me = await client.GetMeAsync(default);
        Assert.NotEmpty(me.Fid);
        Assert.Equal(5, _market.Server.Requests.Count);
        Assert.Contains(_market.Logs.Lines, l => l.Id.Id == 601);
    }

    [Fact]
    public async Task Get_NoAnswerWithinTheTimeout_IsRetriedAndSucceeds()
    {
        _market.Server.Faults.Enqueue(FaultKind.Timeout);
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, RequestTimeout = TimeSpan.FromSeconds(30), RetryBaseDelay = o.RetryBaseDelay, JitterSeed = 1 });

        var types = await _market.PumpAsync(client.ListInstanceTypesAsync(default), TimeSpan.FromSeconds(1));

        Assert.NotEmpty(types);
        await Eventually.WaitAsync(() => _market.Server.Requests.Any(r => r.Fault == FaultKind.Timeout), "the hung request to be recorded");
        Assert.Contains(_market.Logs.Lines, l => l.Id.Id == 600);
    }

    [Fact]
    public async Task Get_NeverAnswered_ThrowsUnavailableAfterTheRetries()
    {
        _market.Server.Faults.Settings = new FaultSettings { RateTimeout = 1 };
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, RequestTimeout = TimeSpan.FromSeconds(30), RetryBaseDelay = o.RetryBaseDelay, MaxRetries = 1, CircuitMinimumThroughput = 100 });

        var e = await Assert.ThrowsAsync<MithrilUnavailableException>(() => _market.PumpAsync(client.GetMeAsync(default), TimeSpan.FromSeconds(1)));

        Assert.True(e.MayHaveBeenSent);
        Assert.False(e.CircuitOpen);
    }
}
