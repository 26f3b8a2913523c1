using Etrid.Burst.Market;

namespace Etrid.Burst.Policy;

/// <summary>One owned bid as the controller sees it this tick (its listing, joined with what it remembers).</summary>
public sealed record ObservedBid
{
    /// <summary>The market's id of the bid.</summary>
    public required string Fid { get; init; }

    /// <summary>Bid name.</summary>
    public required string Name { get; init; }

    /// <summary>Status from the listing (<see cref="BidStatus.Unknown"/> counts as pending).</summary>
    public required BidStatus Status { get; init; }

    /// <summary>True when the name carries the current configuration hash.</summary>
    public required bool IsCurrent { get; init; }

    /// <summary>Creation time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Limit in cents per instance-hour.</summary>
    public required long LimitCents { get; init; }

    /// <summary>Since when it has been <c>Open</c> in this stint (creation, resume or preemption); null when not Open.</summary>
    public DateTimeOffset? OpenSince { get; init; }

    /// <summary>Since when it has been <c>Allocated</c>; null when not.</summary>
    public DateTimeOffset? AllocatedSince { get; init; }

    /// <summary>Its instance is <c>STATUS_RUNNING</c>.</summary>
    public bool InstanceRunning { get; init; }

    /// <summary>
    /// Since when this process has seen its instance running without a break (reset by a pause, a preemption or a
    /// restart of the controller); null while it is not running. A node is released only after it has run for
    /// <c>scale_down_after</c>, so no bid is created or resumed and released again within that time.
    /// </summary>
    public DateTimeOffset? RunningSince { get; init; }

    /// <summary>
    /// This process has seen its instance running since the bid was last allocated: whatever it is doing now, it is not
    /// a node that never came up, so <c>kill_unknown_after</c> does not apply to it.
    /// </summary>
    public bool RanSinceAllocated { get; init; }

    /// <summary>The provider's status text of its newest node (Mithril: <c>STATUS_RUNNING</c>, …), or null without one.</summary>
    public string? InstanceStatus { get; init; }
}
