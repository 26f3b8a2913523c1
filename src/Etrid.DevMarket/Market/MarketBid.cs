using Etrid.Mithril.Models;

namespace Etrid.DevMarket.Market;

/// <summary>A bid's state inside the dev market (mutable, guarded by the market's lock).</summary>
internal sealed class MarketBid
{
    public required string Fid { get; init; }

    public required string Name { get; init; }

    public required string Project { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeactivatedAt { get; set; }

    public required long LimitCents { get; set; }

    public required int Quantity { get; init; }

    public required string InstanceType { get; init; }

    public required string Region { get; init; }

    public required LaunchSpecification Launch { get; set; }

    public BidStatus Status { get; set; } = BidStatus.Open;

    public List<string> InstanceFids { get; } = [];

    public DateTimeOffset? PreemptionEndsAt { get; set; }

    public bool Occupies => Status is BidStatus.Allocated or BidStatus.Preempting;
}
