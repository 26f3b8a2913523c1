namespace Etrid.Mithril.Models;

/// <summary><c>CurrentPricesResponse</c>: integer US cents per instance-hour; every field may be null.</summary>
public sealed record CurrentPrices
{
    /// <summary>Current spot price; null or negative means "no price".</summary>
    public long? SpotPriceCents { get; init; }

    /// <summary>Reserved price.</summary>
    public long? ReservedPriceCents { get; init; }

    /// <summary>Minimum price.</summary>
    public long? MinimumPriceCents { get; init; }

    /// <summary>Undocumented: metrics only.</summary>
    public long? LowestAllocatedBidCents { get; init; }

    /// <summary>Undocumented: metrics only.</summary>
    public long? DynamicWinPriceCents { get; init; }

    /// <summary>Instances available now.</summary>
    public long? AvailableCapacity { get; init; }

    /// <summary>Instances in total.</summary>
    public long? TotalCapacity { get; init; }

    /// <summary>The spot price when there is one (non-null, not negative).</summary>
    public long? UsableSpotPriceCents => SpotPriceCents is >= 0 ? SpotPriceCents : null;
}
