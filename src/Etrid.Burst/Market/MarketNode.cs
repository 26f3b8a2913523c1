namespace Etrid.Burst.Market;

/// <summary>One node (instance, VM) of a bid as the market lists it.</summary>
public sealed record MarketNode
{
    /// <summary>The market's id of the node.</summary>
    public required string Id { get; init; }

    /// <summary>The bid it belongs to; null for a node of no bid.</summary>
    public string? BidId { get; init; }

    /// <summary>The node is up and usable.</summary>
    public bool Running { get; init; }

    /// <summary>When the node was created; a bid's newest node is its state.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The provider's own status text, shown as is on the status page.</summary>
    public string StatusText { get; init; } = "";
}
