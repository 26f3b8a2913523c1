using Etrid.DevMarket.Market;
using Etrid.DevMarket.OpenApi;
using Etrid.DevMarket.Server;

namespace Etrid.DevMarket.Tests.Server;

/// <summary>The HTTP shaping of market outcomes: the status the Mithril API gives each kind.</summary>
public sealed class MarketResultTests
{
    public static TheoryData<string, int> Statuses => new()
    {
        { "ok", 200 },
        { "created", 201 },
        { "deleted", 204 },
        { "not-found", 404 },
        { "refused", 400 },
        { "invalid", 422 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void From_EachKind_HasTheApisStatus(string kind, int status)
    {
        var outcome = kind switch
        {
            "ok" => MarketOutcome.Ok(1),
            "created" => MarketOutcome.Created(1),
            "deleted" => MarketOutcome.Deleted,
            "not-found" => MarketOutcome.NotFound("Bid not found"),
            "refused" => MarketOutcome.Refused("Bid is terminated"),
            _ => MarketOutcome.Invalid([new RequestProblem(["body", "name"], "bad", "value_error")]),
        };

        Assert.Equal(status, MarketResult.From(outcome).Status);
    }

    [Fact]
    public void From_NotFound_CarriesTheReasonAsDetail()
    {
        var body = Assert.IsType<Dictionary<string, object?>>(MarketResult.From(MarketOutcome.NotFound("Bid not found")).Body);

        Assert.Equal("Bid not found", body["detail"]);
    }
}
