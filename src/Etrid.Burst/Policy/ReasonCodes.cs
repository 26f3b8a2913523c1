namespace Etrid.Burst.Policy;

/// <summary>
/// The bounded reason codes of decisions (the <c>reason</c> label of <c>etrid_burst_decisions_total</c> and
/// <c>reason_code</c> in the status). The words of a decision say the particulars; the code stays in this set.
/// </summary>
public static class ReasonCodes
{
    /// <summary>Demand above capacity for <c>scale_up_after</c>.</summary>
    public const string BreachSustained = "breach_sustained";

    /// <summary>Average wait above its threshold while local capacity is exhausted.</summary>
    public const string WaitUrgent = "wait_urgent";

    /// <summary>The oldest pending job has waited <c>wait_threshold − wait_lead</c> (the wait-aware demand rule).</summary>
    public const string WaitDue = "wait_due";

    /// <summary>Surplus past <c>scale_down_after</c>: one node per <c>idle_decay</c>.</summary>
    public const string Drain = "drain";

    /// <summary>Surplus beyond <c>max_idle_agents</c>: trimmed at once.</summary>
    public const string Surplus = "surplus";

    /// <summary>Capacity lost to preemption.</summary>
    public const string Preempted = "preempted";

    /// <summary>The pool's spot price is at or above its limit.</summary>
    public const string PriceAboveLimit = "price_above_limit";

    /// <summary>A bid Open past <c>allocation_timeout</c>.</summary>
    public const string AllocationTimeout = "allocation_timeout";

    /// <summary>An allocated bid whose instance never reached <c>STATUS_RUNNING</c> within <c>kill_unknown_after</c>.</summary>
    public const string KillUnknown = "kill_unknown";

    /// <summary><c>max_hourly_spend_usd</c> reached.</summary>
    public const string Budget = "budget";

    /// <summary><c>max_agents</c> reached.</summary>
    public const string MaxAgents = "max_agents";

    /// <summary>Paused bids beyond <c>max_suspended_bids</c>.</summary>
    public const string SuspendedLimit = "suspended_limit";

    /// <summary>Quota for the instance type used up.</summary>
    public const string Quota = "quota";

    /// <summary>Backing off after a failed create or resume.</summary>
    public const string Backoff = "backoff";

    /// <summary>A bid of an older configuration.</summary>
    public const string StaleConfig = "stale_config";

    /// <summary>The chain figures are stale (or local capacity unknown): hold.</summary>
    public const string StaleFigures = "stale_figures";

    /// <summary>Another replica leads.</summary>
    public const string NotLeader = "not_leader";

    /// <summary>The queue does not pay the spot price × (1 + margin).</summary>
    public const string EconomicGuard = "economic_guard";

    /// <summary>Within <c>initial_delay</c> after start.</summary>
    public const string InitialDelay = "initial_delay";

    /// <summary>A node moved to a cheaper pool (make-before-break) because the saving passed <c>rebalance_min_saving_usd</c>.</summary>
    public const string Rebalance = "rebalance";

    /// <summary>Within <c>scale_up_after</c> after start or a leadership change: observing before acting.</summary>
    public const string Observing = "observing";

    /// <summary>A breach or surplus that has not lasted long enough yet.</summary>
    public const string Waiting = "waiting";

    /// <summary>Demand matches capacity.</summary>
    public const string Steady = "steady";

    /// <summary>Local capacity could not be read.</summary>
    public const string LocalCapacityUnknown = "local_capacity_unknown";

    /// <summary>A pool could not be listed.</summary>
    public const string ListingFailed = "listing_failed";
}
