namespace Etrid.Burst.Policy;

/// <summary>The bid-pool rules the planner applies.</summary>
public sealed record PlannerSettings
{
    /// <summary>Paused bids kept per pool; 0 always cancels. Default 0.</summary>
    public int MaxSuspendedBids { get; init; }

    /// <summary>An Open bid older than this is not winning. Default 10 min.</summary>
    public TimeSpan AllocationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a node must have run before it is released (<c>scale_down_after</c>). Default 5 min.</summary>
    public TimeSpan MinimumRun { get; init; } = TimeSpan.FromMinutes(5);
}
