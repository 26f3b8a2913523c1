using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.DevMarket.Tests.Support;

/// <summary>A dev market on loopback with virtual time, and a plain HttpClient that writes JSON by hand.</summary>
internal sealed class MarketFixture : IAsyncDisposable
{
    public const string Token = "fkey_devmarket_tests";

    private MarketFixture(FakeTimeProvider time, global::Etrid.DevMarket.Market.DevMarket market, DevMarketServer server, HttpClient http)
    {
        Time = time;
        Market = market;
        Server = server;
        Http = http;
    }

    public FakeTimeProvider Time { get; }

    public global::Etrid.DevMarket.Market.DevMarket Market { get; }

    public DevMarketServer Server { get; }

    public HttpClient Http { get; }

    public List<InstanceRunningChange> Changes { get; } = [];

    public static async Task<MarketFixture> StartAsync(DevMarketOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var market = new global::Etrid.DevMarket.Market.DevMarket(options ?? new DevMarketOptions { ApiToken = Token }, time);
        var server = new DevMarketServer(market, time);
        var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var fixture = new MarketFixture(time, market, server, http);
        server.InstanceRunningChanged += c =>
        {
            lock (fixture.Changes)
            {
                fixture.Changes.Add(c);
            }
        };
        return fixture;
    }

    /// <summary>Lets virtual time flow in one-second steps, so every tick sees its own time.</summary>
    public void Advance(TimeSpan total)
    {
        var step = TimeSpan.FromSeconds(1);
        for (var done = TimeSpan.Zero; done < total; done += step)
        {
            Time.Advance(total - done < step ? total - done : step);
        }
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<JsonNode> CreateBidAsync(string name, string limit, string type = "it_devh100x8")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "v2/spot/bids", $$$"""
            {"project":"proj_devmarket01","region":"us-central1-a","instance_type":"{{{type}}}","limit_price":"{{{limit}}}",
             "instance_quantity":1,"name":"{{{name}}}","launch_specification":{"volumes":[],"ssh_keys":["sshkey_devmarket01"]}}
            """);
        Assert.Equal(201, status);
        return body!;
    }

    public async Task<string> BidStatusAsync(string fid) => (string)(await GetAsync($"v2/spot/bids/{fid}")).Body!["status"]!;

    public async Task<string> InstanceStatusAsync(string bidFid)
    {
        var (_, body) = await GetAsync($"v2/instances?project=proj_devmarket01&bid_fid_in={bidFid}");
        return (string)body!["data"]!.AsArray().Single()!["status"]!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Market.Dispose();
    }
}
