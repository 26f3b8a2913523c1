namespace Etrid.DevMarket.Market;

/// <summary>An API answer: status code and the object to write as JSON (null for an empty body).</summary>
public sealed record MarketResult(int Status, object? Body)
{
    /// <summary>An error with a <c>detail</c> string, as FastAPI writes it.</summary>
    public static MarketResult Error(int status, string detail) => new(status, new Dictionary<string, object?> { ["detail"] = detail });

    /// <summary>A 422 with a <c>detail</c> list.</summary>
    public static MarketResult Invalid(IEnumerable<OpenApi.RequestProblem> problems) =>
        new(422, new Dictionary<string, object?>
        {
            ["detail"] = problems.Select(p => new Dictionary<string, object?> { ["loc"] = p.Loc, ["msg"] = p.Msg, ["type"] = p.Type }).ToList(),
        });
}
