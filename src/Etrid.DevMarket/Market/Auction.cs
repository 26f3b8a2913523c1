namespace Etrid.DevMarket.Market;

/// <summary>One (instance type, region) spot market: its price path and capacity.</summary>
internal sealed class Auction
{
    public required string Fid { get; init; }

    public required DevInstanceType Type { get; init; }

    public required string Region { get; init; }

    public required long SpotCents { get; set; }

    /// <summary>A price pinned from the control endpoint; the path resumes from it when released.</summary>
    public long? PinnedCents { get; set; }

    public long EffectiveSpotCents => PinnedCents ?? SpotCents;
}
