namespace Etrid.Burst.Market;

/// <summary>
/// Where a market places bids: inputs of every bid's configuration hash, so a change here (another account,
/// region or key) makes existing bids an older configuration that the controller replaces.
/// </summary>
public sealed record MarketPlacement
{
    /// <summary>The account, project or subscription the bids are billed to.</summary>
    public required string Account { get; init; }

    /// <summary>The region (or zone) the nodes run in.</summary>
    public required string Region { get; init; }

    /// <summary>Access keys installed on the nodes (order does not matter); may be empty.</summary>
    public IReadOnlyList<string> AccessKeys { get; init; } = [];
}
