using System.Text.Json.Nodes;
using Etrid.DevMarket.Faults;
using Etrid.DevMarket.OpenApi;
using Etrid.DevMarket.Tests.Support;

namespace Etrid.DevMarket.Tests.Server;

/// <summary>The HTTP surface: bearer check, 422 detail lists, cursor paging, documented shapes, faults.</summary>
public sealed class ApiSurfaceTests : IAsyncLifetime
{
    private MarketFixture _m = null!;

    public async Task InitializeAsync() => _m = await MarketFixture.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer fkey_wrong")]
    [InlineData("Basic Zmtlelk=")]
    [InlineData("Bearer fkey_devmarket_tests_and_more")]
    public async Task Request_WithoutTheBearerKey_Is401(string? authorization)
    {
        using var http = new HttpClient { BaseAddress = _m.Server.Url };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.GetAsync("v2/me");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Invalid credentials", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!);
    }

    [Fact]
    public async Task CreateBid_MissingFields_Is422WithADetailListOfTheDocumentedShape()
    {
        var (status, body) = await _m.SendAsync(HttpMethod.Post, "v2/spot/bids", """{"project":"proj_devmarket01"}""");

        Assert.Equal(422, status);
        Assert.Empty(MithrilOpenApi.Instance.ValidateComponent("HTTPValidationError", body));
        var detail = body!["detail"]!.AsArray();
        Assert.NotEmpty(detail);
        Assert.All(detail, d => Assert.Equal("body", (string)d!["loc"]![0]!));
        Assert.Empty(_m.Market.SnapshotBids());
    }

    [Theory]
    [InlineData("""{"project":"proj_devmarket01","region":"us-central1-a","instance_type":"it_devh100x8","limit_price":28,"instance_quantity":1,"name":"n","launch_specification":{"volumes":[],"ssh_keys":[]}}""", "limit_price")]
    [InlineData("""{"project":"proj_devmarket01","region":"us-central1-a","instance_type":"it_devh100x8","limit_price":"$28.00","instance_quantity":"one","name":"n","launch_specification":{"volumes":[],"ssh_keys":[]}}""", "instance_quantity")]
    [InlineData("""{"project":"proj_devmarket01","region":"us-central1-a","instance_type":"it_devh100x8","limit_price":"$28.00","instance_quantity":1,"name":"n","launch_specification":{"volumes":[],"ssh_keys":[7]}}""", "launch_specification")]
    public async Task CreateBid_WrongTypes_Is422PointingAtTheField(string json, string field)
    {
        var (status, body) = await _m.SendAsync(HttpMethod.Post, "v2/spot/bids", json);

        Assert.Equal(422, status);
        Assert.Contains(body!["detail"]!.AsArray(), d => d!["loc"]!.AsArray().Count > 1 && (string)d["loc"]![1]! == field);
    }

    [Fact]
    public async Task CreateBid_NotJson_Is422()
    {
        var (status, body) = await _m.SendAsync(HttpMethod.Post, "v2/spot/bids", "{not json");

        Assert.Equal(422, status);
        Assert.Equal("json_invalid", (string)body!["detail"]![0]!["type"]!);
    }

    [Theory]
    [InlineData("v2/spot/bids?limit=0", "limit")]
    [InlineData("v2/spot/bids?limit=101", "limit")]
    [InlineData("v2/spot/bids?limit=ten", "limit")]
    [InlineData("v2/spot/bids?status=Running", "status")]
    [InlineData("v2/spot/bids?sort_dir=up", "sort_dir")]
    [InlineData("v2/instances", "project")]
    [InlineData("v2/instances?project=proj_devmarket01&status_in=STATUS_RUNNING,STATUS_BOGUS", "status_in")]
    [InlineData("v2/pricing/current", "instance_type")]
    [InlineData("v2/pricing/current?instance_type=it_devh100x8&instance_quantity=0", "instance_quantity")]
    [InlineData("v2/ssh-keys", "project")]
    [InlineData("v2/spot/bids?next_cursor=garbage", "next_cursor")]
    public async Task Query_Invalid_Is422NamingTheParameter(string path, string parameter)
    {
        var (status, body) = await _m.GetAsync(path);

        Assert.Equal(422, status);
        Assert.Contains(body!["detail"]!.AsArray(), d => (string)d!["loc"]![0]! == "query" && (string)d["loc"]![1]! == parameter);
    }

    [Fact]
    public async Task ListBids_CursorPaging_WalksEveryBidOnce()
    {
        var fids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            fids.Add((string)(await _m.CreateBidAsync($"pg-{i}", "$20.00"))["fid"]!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, body) = await _m.GetAsync("v2/spot/bids?project=proj_devmarket01&limit=2" + (cursor is null ? "" : "&next_cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(200, status);
            seen.AddRange(body!["data"]!.AsArray().Select(b => (string)b!["fid"]!));
            cursor = (string?)body["next_cursor"];
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(fids, seen);
    }

    [Fact]
    public async Task ListBids_DescendingByCreation_NewestFirst()
    {
        await _m.CreateBidAsync("first", "$20.00");
        await _m.CreateBidAsync("second", "$20.00");

        var (_, body) = await _m.GetAsync("v2/spot/bids?sort_by=created_at&sort_dir=desc");

        Assert.Equal(["second", "first"], body!["data"]!.AsArray().Select(b => (string)b!["name"]!));
    }

    [Fact]
    public async Task Responses_MatchTheDocumentedSchemas()
    {
        var fid = (string)(await _m.CreateBidAsync("shape", "$40.00"))["fid"]!;
        _m.Time.Advance(TimeSpan.FromMinutes(5));
        var calls = new (string Method, string Path)[]
        {
            ("GET", "/v2/me"), ("GET", "/v2/projects"), ("GET", "/v2/ssh-keys?project=proj_devmarket01"), ("GET", "/v2/instance-types"), ("GET", "/v2/quotas?project=proj_devmarket01"),
            ("GET", "/v2/spot/availability"), ("GET", "/v2/pricing/current?instance_type=it_devh100x8"), ("GET", "/v2/spot/bids"),
            ("GET", $"/v2/spot/bids/{fid}"), ("GET", $"/v2/spot/bids/{fid}/status"), ("GET", "/v2/instances?project=proj_devmarket01"),
        };
        foreach (var (method, path) in calls)
        {
            var (status, body) = await _m.SendAsync(new HttpMethod(method), path.TrimStart('/'));
            Assert.Equal(200, status);
            var match = MithrilOpenApi.Instance.Match(method, path.Split('?')[0], out _)!;
            var problems = MithrilOpenApi.Instance.ValidateResponse(match, status, body);
            Assert.True(problems.Count == 0, $"{method} {path}: {string.Join("; ", problems)}");
        }

        var (_, instances) = await _m.GetAsync("v2/instances?project=proj_devmarket01");
        var instanceFid = (string)instances!["data"]![0]!["fid"]!;
        var (statusCode, instanceStatus) = await _m.GetAsync($"v2/instances/{instanceFid}/status");
        Assert.Equal(200, statusCode);
        Assert.Empty(MithrilOpenApi.Instance.ValidateComponent("InstanceStatusResponse", instanceStatus));
    }

    [Fact]
    public async Task UnknownPathOrMethod_Is404Or405_AndUnimplementedIs501()
    {
        Assert.Equal(404, (await _m.GetAsync("v2/nothing")).Status);
        Assert.Equal(405, (await _m.SendAsync(HttpMethod.Put, "v2/spot/bids")).Status);
        Assert.Equal(501, (await _m.GetAsync("v2/volumes?project=proj_devmarket01")).Status);
    }

    [Fact]
    public async Task Faults_Rate429_AnswersWithRetryAfter()
    {
        var (status, settings) = await _m.SendAsync(HttpMethod.Post, "_control/faults", """{"rate_429":1,"retry_after_seconds":9}""");
        Assert.Equal(200, status);
        Assert.Equal(1.0, (double)settings!["rate_429"]!);

        using var response = await _m.Http.GetAsync("v2/me");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(9), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Faults_ServerErrorAfterProcessing_TheBidExistsDespiteThe500()
    {
        _m.Server.Faults.Enqueue(FaultKind.ServerErrorAfterProcessing);

        var (status, _) = await _m.SendAsync(HttpMethod.Post, "v2/spot/bids", """
            {"project":"proj_devmarket01","region":"us-central1-a","instance_type":"it_devh100x8","limit_price":"$28.00",
             "instance_quantity":1,"name":"lost","launch_specification":{"volumes":[],"ssh_keys":[]}}
            """);

        Assert.Equal(500, status);
        Assert.Equal("lost", Assert.Single(_m.Market.SnapshotBids()).Name);
    }

    [Fact]
    public async Task Faults_Timeout_HangsUntilTheClientGivesUp()
    {
        _m.Server.Faults.Enqueue(FaultKind.Timeout);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _m.Http.GetAsync("v2/me", cts.Token));
    }

    [Fact]
    public async Task Faults_SeededRates_InjectAboutTheirShare()
    {
        _m.Server.Faults.Settings = new FaultSettings { Rate429 = 0.2, Rate500 = 0.1, RetryAfterSeconds = null };
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await _m.GetAsync("v2/projects")).Status);
        }

        Assert.InRange(statuses.Count(s => s == 429), 20, 60);
        Assert.InRange(statuses.Count(s => s == 500), 8, 35);
        Assert.InRange(statuses.Count(s => s == 200), 120, 175);
    }

    [Fact]
    public async Task Body_LargerThanTheBound_IsRefused()
    {
        var (status, _) = await _m.SendAsync(HttpMethod.Post, "v2/spot/bids", "{\"name\":\"" + new string('x', 100_000) + "\"}");

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Control_SetPrice_ShowsInPricingAndAvailability()
    {
        await _m.SendAsync(HttpMethod.Post, "_control/price", """{"instance_type":"it_deva100x4","spot_price_cents":777}""");

        var (_, prices) = await _m.GetAsync("v2/pricing/current?instance_type=it_deva100x4&region=us-central1-a");
        var (_, availability) = await _m.GetAsync("v2/spot/availability");

        Assert.Equal(777, (long)prices!["spot_price_cents"]!);
        Assert.Contains(availability!.AsArray(), a => (string)a!["instance_type"]! == "it_deva100x4" && (string)a["last_instance_price"]! == "$7.77");
    }

}
