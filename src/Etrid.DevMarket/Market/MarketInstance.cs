using Etrid.Mithril.Models;

namespace Etrid.DevMarket.Market;

/// <summary>An instance's state inside the dev market: its status and, while in transition, when it moves on.</summary>
internal sealed class MarketInstance
{
    public required string Fid { get; init; }

    public required string Name { get; init; }

    public required string BidFid { get; init; }

    public required long Sequence { get; init; }

    public required string InstanceType { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string PrivateIp { get; init; }

    public InstanceStatus Status { get; set; } = InstanceStatus.Starting;

    /// <summary>When a transitional status (starting, stopping) moves on; null otherwise.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>End of a preemption window.</summary>
    public DateTimeOffset? EndTime { get; set; }
}
