namespace Etrid.Mithril.Errors;

/// <summary>One item of a 422 <c>detail</c> list: where (<c>body.limit_price</c>), what, and the error type.</summary>
public sealed record ValidationProblem(string Location, string Message, string? Type)
{
    /// <inheritdoc />
    public override string ToString() => Location.Length == 0 ? Message : $"{Location}: {Message}";
}
