namespace Etrid.DevMarket.OpenApi;

/// <summary>One item of a 422 <c>detail</c> list, as FastAPI writes it: <c>{"loc":["body","limit_price"],"msg":…,"type":…}</c>.</summary>
public sealed record RequestProblem(IReadOnlyList<object> Loc, string Msg, string Type)
{
    /// <inheritdoc />
    public override string ToString() => $"{string.Join('.', Loc)}: {Msg}";
}
