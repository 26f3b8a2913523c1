using System.Net;
using System.Text;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Models;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Api;

/// <summary>Typed errors with the response's detail; the key never appears in a message or a log line.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    [Fact]
    public async Task Create_BadPrice_Is422WithTheDetailList()
    {
        using var client = _market.Client();

        var e = await Assert.ThrowsAsync<MithrilApiException>(() => client.CreateBidAsync(TestBids.Request(_market, "etrid-bad", limit: "28"), default));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.StatusCode);
        var problem = Assert.Single(e.Problems);
        Assert.Equal("body.limit_price", problem.Location);
        Assert.Contains("body.limit_price", e.Message, StringComparison.Ordinal);
        Assert.Single(_market.Server.Requests); // a 422 is not retried
    }

    [Fact]
    public async Task Create_UnknownSshKey_Is422NamingTheListItem()
    {
        using var client = _market.Client();
        var request = TestBids.Request(_market, "etrid-bad") with { LaunchSpecification = new LaunchSpecification { SshKeys = [_market.SshKey, "sshkey_other"] } };

        var e = await Assert.ThrowsAsync<MithrilApiException>(() => client.CreateBidAsync(request, default));

        Assert.Equal("body.launch_specification.ssh_keys.1", Assert.Single(e.Problems).Location);
    }

    [Fact]
    public async Task WrongKey_Is401_NotRetried_AndTheKeyIsInNoMessageOrLog()
    {
        const string wrong = "fkey_wrong_secret_987654321";
        using var client = _market.Client(token: wrong);

        var e = await Assert.ThrowsAsync<MithrilApiException>(() => client.GetMeAsync(default));

        Assert.True(e.IsUnauthorized);
        Assert.Equal("Invalid credentials", e.Detail);
        Assert.Single(_market.Server.Requests);
        Assert.False(_market.Server.Requests[0].Authorized);
        Assert.DoesNotContain(wrong, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_NeverAppearInExceptionsOrLogs_AcrossFailures()
    {
        _market.Server.Faults.Settings = new DevMarket.Faults.FaultSettings { Rate429 = 0.3, Rate500 = 0.3, RetryAfterSeconds = 1 };
        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, MaxRetries = 2, RetryBaseDelay = o.RetryBaseDelay, RequestTimeout = o.RequestTimeout, CircuitMinimumThroughput = 4 });
        var texts = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await _market.PumpAsync(client.CreateBidAsync(TestBids.Request(_market, $"etrid-s-{i}"), default), TimeSpan.FromMilliseconds(500));
            }
            catch (MithrilException ex)
            {
                texts.Add(ex.ToString());
            }
        }

        using var bad = _market.Client(token: "fkey_another_secret_55555");
        try
        {
            await _market.PumpAsync(bad.GetMeAsync(default), TimeSpan.FromMilliseconds(500));
        }
        catch (MithrilException ex)
        {
            texts.Add(ex.ToString());
        }

        texts.AddRange(_market.Logs.Lines.Select(l => l.Text));
        Assert.NotEmpty(_market.Logs.Lines);
        Assert.All(texts, t =>
        {
            Assert.DoesNotContain(MarketHarness.Token, t, StringComparison.Ordinal);
            Assert.DoesNotContain("fkey_another_secret_55555", t, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Response_LargerThanTheBound_IsRefused()
    {
        using var writer = _market.Client();
        for (var i = 0; i < 6; i++)
        {
            await writer.CreateBidAsync(TestBids.Request(_market, $"etrid-big-{i}", script: "#!/bin/bash\n" + new string('x', 2000)), default);
        }

        using var client = _market.Client(o => new() { ApiEndpoint = o.ApiEndpoint, ApiToken = o.ApiToken, MaxResponseBytes = 8192 });

        var e = await Assert.ThrowsAsync<MithrilResponseException>(() => client.ListBidsAsync(new BidQuery { Project = _market.Project }, default));

        Assert.Contains("8192", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_MissingTokenAndBadEndpoint_ReportEveryProblem()
    {
        var problems = new MithrilClientOptions { ApiEndpoint = new Uri("ftp://user:pw@host/"), ApiToken = "", PageSize = 0, RequestTimeout = TimeSpan.Zero }.Validate("mithril_auto").ToList();

        Assert.Contains(problems, p => p.StartsWith("mithril_auto.api_endpoint:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.api_token:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.page_size", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.request_timeout:", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain("pw", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"detail\":[{\"loc\":[\"body\",\"limit_price\"],\"msg\":\"bad\",\"type\":\"value_error\"},{\"loc\":[\"query\",\"limit\",0],\"msg\":\"too big\",\"type\":\"x\"}]}", "body.limit_price: bad; query.limit.0: too big", 2)]
    [InlineData("{\"detail\":\"Bid not found\"}", "Bid not found", 0)]
    [InlineData("{\"error\":\"boom\"}", "boom", 0)]
    [InlineData("{\"message\":\"nope\"}", "nope", 0)]
    [InlineData("plain text", "plain text", 0)]
    [InlineData("{\"detail\":42}", "{\"detail\":42}", 0)]
    [InlineData("", "(empty body)", 0)]
    public void ErrorBodyReader_AnyShape_ReadsDetailWithoutThrowing(string body, string detail, int problems)
    {
        var (text, items) = ErrorBodyReader.Read(Encoding.UTF8.GetBytes(body));

        Assert.Equal(detail, text);
        Assert.Equal(problems, items.Count);
    }

    [Fact]
    public void ErrorBodyReader_HugeRawBody_IsCapped()
    {
        var (text, _) = ErrorBodyReader.Read(Encoding.UTF8.GetBytes(new string('y', 100_000)));

        Assert.True(text.Length <= ErrorBodyReader.MaxRawChars + 1);
    }

    [Theory]
    [InlineData("GET", "http://x/v2/spot/bids/bid_abc123", "GET /v2/spot/bids/{bid_fid}")]
    [InlineData("PATCH", "http://x/v2/spot/bids/bid_abc123?x=1", "PATCH /v2/spot/bids/{bid_fid}")]
    [InlineData("GET", "http://x/v2/instances/inst_abc/status", "GET /v2/instances/{instance_fid}/status")]
    [InlineData("GET", "http://x/v2/spot/bids?project=proj_a", "GET /v2/spot/bids")]
    public void CallStats_OperationLabels_AreTemplates(string method, string uri, string expected) =>
        Assert.Equal(expected, MithrilCallStats.OperationOf(new HttpMethod(method), new Uri(uri)));
}
