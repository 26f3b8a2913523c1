using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Etrid.Exporter.Status;
using Etrid.Exporter.Status.History;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Status;

/// <summary>The page's endpoints over real HTTP.</summary>
public sealed class StatusEndpointsTests
{
    [Fact]
    public async Task History_ServesThePointsTaken_AsJson()
    {
        var time = TimeProvider.System;
        var hub = StatusFixtures.FreshHub(time, StatusFixtures.Figures(), block: 100);
        await using var app = await StatusPageHost.StartAsync(hub, time, s => s.AddStatusHistory());
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        await Eventually.WaitAsync(async () => (await ReadHistoryAsync(http)).RootElement.GetProperty("points").GetArrayLength() == 1, "the first point", 30);
        hub.Publish(StatusFixtures.Snapshot(StatusFixtures.Figures(), time.GetUtcNow().AddSeconds(2), 101));
        await Eventually.WaitAsync(async () => (await ReadHistoryAsync(http)).RootElement.GetProperty("points").GetArrayLength() == 2, "the second point", 30);

        using var history = await ReadHistoryAsync(http);
        var root = history.RootElement;
        Assert.Equal(3600, root.GetProperty("window_seconds").GetDouble());
        Assert.Equal(StatusHistory.Capacity, root.GetProperty("capacity").GetInt32());
        var second = root.GetProperty("points")[1];
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
        Assert.Equal(101u, second.GetProperty("block").GetUInt32());
        Assert.Equal(23, second.GetProperty("pending").GetInt64());
        Assert.Equal(4, second.GetProperty("processing").GetInt64());
        Assert.Equal(12.5, second.GetProperty("average_wait_seconds").GetDouble());
        Assert.Equal(8, second.GetProperty("active_gpus").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("burst_running_gpus").ValueKind);
        Assert.Equal(0, root.GetProperty("decisions").GetArrayLength());

        // Each status document carries the newest point for the open page.
        using var status = JsonDocument.Parse(await http.GetStringAsync("/status"));
        Assert.Equal(101u, status.RootElement.GetProperty("trend").GetProperty("point").GetProperty("block").GetUInt32());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/status")]
    [InlineData("/status/history")]
    [InlineData("/status/events")]
    public async Task EveryAnswer_CarriesNoSniff(string path)
    {
        var time = TimeProvider.System;
        await using var app = await StatusPageHost.StartAsync(StatusFixtures.FreshHub(time, StatusFixtures.Figures()), time, s => s.AddStatusHistory());
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task OneClientHoldingEveryFeed_LeavesOthersTheirLiveFeed()
    {
        var time = TimeProvider.System;
        await using var app = await StatusPageHost.StartAsync(StatusFixtures.FreshHub(time, StatusFixtures.Figures()), time);
        var url = new Uri(app.Urls.First());
        using var greedy = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        var held = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < StatusEndpoints.MaxStreams; i++)
            {
                held.Add(await greedy.GetAsync("/status/events", HttpCompletionOption.ResponseHeadersRead));
            }

            Assert.Equal(StatusEndpoints.MaxStreamsPerClient, held.Count(r => r.StatusCode == HttpStatusCode.OK));
            var refused = held.First(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
            Assert.Equal(["nosniff"], refused.Headers.GetValues("X-Content-Type-Options"));

            // Another viewer (another loopback address) still gets the live feed.
            using var viewer = new HttpClient(From(IPAddress.Parse("127.0.0.2"))) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
            using var response = await viewer.GetAsync("/status/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("event: status", await reader.ReadLineAsync());

            // A feed that ends gives its place back to its client.
            var open = held.First(r => r.StatusCode == HttpStatusCode.OK);
            held.Remove(open);
            open.Dispose();
            await Eventually.WaitAsync(
                async () =>
                {
                    using var again = await greedy.GetAsync("/status/events", HttpCompletionOption.ResponseHeadersRead);
                    return again.StatusCode == HttpStatusCode.OK;
                },
                "a freed place",
                30);
        }
        finally
        {
            held.ForEach(r => r.Dispose());
        }
    }

    private static async Task<JsonDocument> ReadHistoryAsync(HttpClient http) => JsonDocument.Parse(await http.GetStringAsync("/status/history"));

    // Connects from the given local address, so the server sees another client.
    private static SocketsHttpHandler From(IPAddress local) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
