using Etrid.DevMarket.Market;
using Etrid.DevMarket.OpenApi;

namespace Etrid.DevMarket.Server;

/// <summary>An HTTP answer: status code and the object to write as JSON (null for an empty body).</summary>
public sealed record MarketResult(int Status, object? Body)
{
    /// <summary>The status and body the Mithril API gives each kind of market outcome.</summary>
    public static MarketResult From(MarketOutcome outcome) => outcome.Kind switch
    {
        MarketOutcomeKind.Ok => new(200, outcome.Value),
        MarketOutcomeKind.Created => new(201, outcome.Value),
        MarketOutcomeKind.Deleted => new(204, null),
        MarketOutcomeKind.NotFound => Error(404, outcome.Reason ?? "Not Found"),
        MarketOutcomeKind.Refused => Error(400, outcome.Reason ?? "Bad Request"),
        MarketOutcomeKind.Invalid => Invalid(outcome.Problems),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "unknown market outcome"),
    };

    /// <summary>An error with a <c>detail</c> string, as FastAPI writes it.</summary>
    public static MarketResult Error(int status, string detail) => new(status, new Dictionary<string, object?> { ["detail"] = detail });

    /// <summary>A 422 with a <c>detail</c> list.</summary>
    public static MarketResult Invalid(IEnumerable<RequestProblem> problems) =>
        new(422, new Dictionary<string, object?>
        {
            ["detail"] = problems.Select(p => new Dictionary<string, object?> { ["loc"] = p.Loc, ["msg"] = p.Msg, ["type"] = p.Type }).ToList(),
        });
}
