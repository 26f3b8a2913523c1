namespace Etrid.Burst.Market;

/// <summary>One bid (or spot request) as the market lists it.</summary>
public sealed record MarketBid
{
    /// <summary>The market's id of the bid.</summary>
    public required string Id { get; init; }

    /// <summary>The name it was placed with (the controller's: <c>{base}-{hash8}-{rand5}</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Its status; <see cref="BidStatus.Unknown"/> for anything the provider cannot map.</summary>
    public required BidStatus Status { get; init; }

    /// <summary>When it was placed.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Its limit in US cents per instance-hour, or null when the market's figure does not read.</summary>
    public long? LimitCents { get; init; }
}
