namespace Etrid.Burst.Market;

/// <summary>What the controller asks a market to place: one node of one instance type at a limit.</summary>
public sealed record MarketBidRequest
{
    /// <summary>The instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>The limit in US cents per instance-hour (the pool's per-GPU limit × the type's GPUs, rounded down).</summary>
    public required long LimitCents { get; init; }

    /// <summary>The bid's name; also how a bid whose creation outcome is unknown is found.</summary>
    public required string Name { get; init; }

    /// <summary>The boot script the node runs first.</summary>
    public required string StartupScript { get; init; }

    /// <summary>Memory in GB where the market allows choosing it; null for the type's default.</summary>
    public int? MemoryGb { get; init; }
}
