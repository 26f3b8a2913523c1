using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Etrid.Mithril.Api;
using Etrid.Mithril.Models;
using Etrid.Simulation.Policies;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Simulation.Tests.Policies;

/// <summary>The seed's policy against the dev market over HTTP, in virtual time.</summary>
public sealed class NaivePolicyTests : IAsyncLifetime
{
    private const string Token = "fkey_naive_test";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
    private DevMarket.Market.DevMarket _market = null!;
    private DevMarketServer _server = null!;
    private MithrilClient _client = null!;
    private NaivePolicy _policy = null!;

    public async Task InitializeAsync()
    {
        _market = new DevMarket.Market.DevMarket(new DevMarketOptions { ApiToken = Token }, _time);
        _server = new DevMarketServer(_market, _time);
        var url = await _server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        _client = new MithrilClient(new MithrilClientOptions { ApiEndpoint = url, ApiToken = Token }, null, _time);
        _policy = new NaivePolicy(_client, new NaiveSettings
        {
            Project = _market.Options.ProjectId,
            Region = _market.Options.Region,
            InstanceType = "it_deva100x4",
            GpusPerNode = 4,
            LimitPricePerGpuHour = 2m,
            MaxAgents = 10,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _market.Dispose();
    }

    private List<Bid> Live() => _market.SnapshotBids().Where(b => b.Status != BidStatus.Terminated).ToList();

    private async Task<int> TickAsync(long demand, TimeSpan after)
    {
        _time.Advance(after);
        await _policy.TickAsync(demand, 32, _time.GetUtcNow(), CancellationToken.None);
        return Live().Count;
    }

    [Fact]
    public async Task OverCapacity_GrowsByHalf_EveryScaleUpAfter_UpToMaxAgents()
    {
        var counts = new List<int> { await TickAsync(200, TimeSpan.Zero) };
        for (var i = 0; i < 7; i++)
        {
            counts.Add(await TickAsync(200, TimeSpan.FromSeconds(60)));
        }

        // 0, then +max(1, ⌈n/2⌉) a minute: 1, 2, 3, 5, 8, then max_agents 10.
        Assert.Equal([0, 1, 2, 3, 5, 8, 10, 10], counts);
        Assert.All(Live(), b => Assert.Equal("8.00", b.LimitPrice.TrimStart('$'))); // $2/GPU-h × 4 GPUs
    }

    [Fact]
    public async Task ABreachShorterThanScaleUpAfter_PlacesNothing()
    {
        Assert.Equal(0, await TickAsync(200, TimeSpan.Zero));
        Assert.Equal(0, await TickAsync(200, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await TickAsync(10, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await TickAsync(200, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Idle_CancelsTenPercent_AfterFiveMinutes_AndNeverPauses()
    {
        await TickAsync(200, TimeSpan.Zero);
        for (var i = 0; i < 6; i++)
        {
            await TickAsync(200, TimeSpan.FromSeconds(60));
        }

        Assert.Equal(10, Live().Count);

        // Demand within local capacity: idle. Nothing before 5 min, then −⌈10 %⌉ = 1 node per 5 min.
        Assert.Equal(10, await TickAsync(20, TimeSpan.FromSeconds(60)));
        Assert.Equal(10, await TickAsync(20, TimeSpan.FromSeconds(240)));
        Assert.Equal(9, await TickAsync(20, TimeSpan.FromSeconds(60)));
        Assert.Equal(9, await TickAsync(20, TimeSpan.FromSeconds(240)));
        Assert.Equal(8, await TickAsync(20, TimeSpan.FromSeconds(60)));

        Assert.DoesNotContain(_market.SnapshotBids(), b => b.Status == BidStatus.Paused);
        Assert.Equal(2, _market.SnapshotBids().Count(b => b.Status == BidStatus.Terminated));
        Assert.Equal(2, _policy.Cancelled);
    }

    [Fact]
    public async Task DemandAboveLocalButWithinTheCloud_IsNeitherBreachNorIdle()
    {
        await TickAsync(200, TimeSpan.Zero);
        await TickAsync(200, TimeSpan.FromSeconds(60));
        Assert.Single(Live());

        // 34 jobs: above 32 local GPUs, within 32 + 4.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(1, await TickAsync(34, TimeSpan.FromSeconds(60)));
        }
    }
}
