namespace Etrid.Mithril.Policy;

/// <summary>The bid-pool rules the planner applies.</summary>
public sealed record PlannerSettings
{
    /// <summary>Paused bids kept per pool; 0 always cancels. Default 0.</summary>
    public int MaxSuspendedBids { get; init; }

    /// <summary>An Open bid older than this is not winning. Default 10 min.</summary>
    public TimeSpan AllocationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An allocated bid whose instance is not running after this is cancelled; 0 = off. Default 15 min.</summary>
    public TimeSpan KillUnknownAfter { get; init; } = TimeSpan.FromMinutes(15);
}
