using Etrid.DevMarket.OpenApi;

namespace Etrid.DevMarket.Market;

/// <summary>
/// The typed answer of a market operation: a kind, the value when there is one, and why when there is not.
/// The market knows nothing of HTTP; <see cref="Server.MarketResult.From"/> gives each kind its status and body.
/// </summary>
public sealed record MarketOutcome
{
    private MarketOutcome(MarketOutcomeKind kind) => Kind = kind;

    /// <summary>What became of the operation.</summary>
    public MarketOutcomeKind Kind { get; }

    /// <summary>The value read or written (<see cref="MarketOutcomeKind.Ok"/>, <see cref="MarketOutcomeKind.Created"/>).</summary>
    public object? Value { get; private init; }

    /// <summary>Why nothing was done (<see cref="MarketOutcomeKind.NotFound"/>, <see cref="MarketOutcomeKind.Refused"/>).</summary>
    public string? Reason { get; private init; }

    /// <summary>Every refused value (<see cref="MarketOutcomeKind.Invalid"/>).</summary>
    public IReadOnlyList<RequestProblem> Problems { get; private init; } = [];

    /// <summary>The resource was deleted.</summary>
    public static MarketOutcome Deleted { get; } = new(MarketOutcomeKind.Deleted);

    /// <summary>Done or read, with <paramref name="value"/>.</summary>
    public static MarketOutcome Ok(object value) => new(MarketOutcomeKind.Ok) { Value = value };

    /// <summary>A new resource, <paramref name="value"/>.</summary>
    public static MarketOutcome Created(object value) => new(MarketOutcomeKind.Created) { Value = value };

    /// <summary>No such resource.</summary>
    public static MarketOutcome NotFound(string reason) => new(MarketOutcomeKind.NotFound) { Reason = reason };

    /// <summary>The resource's state forbids the operation.</summary>
    public static MarketOutcome Refused(string reason) => new(MarketOutcomeKind.Refused) { Reason = reason };

    /// <summary>Refused values, each with where it is and why.</summary>
    public static MarketOutcome Invalid(IEnumerable<RequestProblem> problems) => new(MarketOutcomeKind.Invalid) { Problems = problems.ToList() };
}
