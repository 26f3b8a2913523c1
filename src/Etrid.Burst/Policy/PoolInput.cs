using Etrid.Burst.Market;

namespace Etrid.Burst.Policy;

/// <summary>One pool as observed this tick: its shape, price, limits and owned bids.</summary>
public sealed record PoolInput
{
    /// <summary>Pool name.</summary>
    public required string PoolName { get; init; }

    /// <summary>GPUs per node of the pool's instance type.</summary>
    public required int GpusPerNode { get; init; }

    /// <summary>The pool's limit in cents per instance-hour.</summary>
    public required long LimitCents { get; init; }

    /// <summary>Current spot price in cents per instance-hour; null when the API gives none.</summary>
    public long? SpotPriceCents { get; init; }

    /// <summary>The Spot quota for the type is used up.</summary>
    public bool QuotaExhausted { get; init; }

    /// <summary>A create or resume failed recently: no growth until then.</summary>
    public DateTimeOffset? BackoffUntil { get; init; }

    /// <summary>Hard cap of live bids (preempting and not-winning ones included).</summary>
    public int MaxAgents { get; init; } = 10;

    /// <summary>Floor of covering nodes.</summary>
    public int MinAgents { get; init; }

    /// <summary>An allocated bid whose instance has not reached <c>STATUS_RUNNING</c> after this is dead; zero = never. Default 0.</summary>
    public TimeSpan KillUnknownAfter { get; init; }

    /// <summary>Names of bids placed to replace a node of another pool (make-before-break): not capacity until the old node is gone.</summary>
    public IReadOnlySet<string> Replacements { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The pool's owned bids (terminated ones may be included; they are ignored).</summary>
    public IReadOnlyList<ObservedBid> Bids { get; init; } = [];

    /// <summary>The spot price is at or above the limit: place and resume nothing.</summary>
    public bool PricedOut => SpotPriceCents is >= 0 and var spot && spot >= LimitCents;

    /// <summary>Bids that hold a node or may get one: neither paused nor terminated.</summary>
    public IEnumerable<ObservedBid> Live => Bids.Where(b => b.Status is not (BidStatus.Paused or BidStatus.Terminated));

    /// <summary>Open longer than the allocation timeout: "not winning at this price".</summary>
    public IEnumerable<ObservedBid> NotWinning(DateTimeOffset now, TimeSpan allocationTimeout) =>
        Bids.Where(b => b.Status == BidStatus.Open && b.OpenSince is { } since && now - since >= allocationTimeout);

    /// <summary>Allocated past <see cref="KillUnknownAfter"/> without its instance seen running since: billed, useless, not capacity.</summary>
    public IEnumerable<ObservedBid> Dead(DateTimeOffset now) =>
        KillUnknownAfter > TimeSpan.Zero
            ? Bids.Where(b => b.Status == BidStatus.Allocated && !b.InstanceRunning && !b.RanSinceAllocated && b.AllocatedSince is { } since && now - since >= KillUnknownAfter)
            : [];

    /// <summary>Live bids that count as capacity (pending or usable): not preempting, not stuck open, not dead.</summary>
    public IEnumerable<ObservedBid> Covering(DateTimeOffset now, TimeSpan allocationTimeout)
    {
        var excluded = NotWinning(now, allocationTimeout).Concat(Dead(now)).Select(b => b.Fid).ToHashSet(StringComparer.Ordinal);
        return Live.Where(b => b.Status != BidStatus.Preempting && !excluded.Contains(b.Fid) && !Replacements.Contains(b.Name));
    }

    /// <summary>
    /// Whether a covering bid may be given back now: an Open bid holds nothing that is billed, and a node is released
    /// only after this process has seen it run for <paramref name="minimumRun"/> (so a booting node, or one resumed or
    /// adopted moments ago, stays).
    /// </summary>
    public static bool MayRelease(ObservedBid bid, DateTimeOffset now, TimeSpan minimumRun) =>
        bid.Status is BidStatus.Open or BidStatus.Unknown
        || (bid.RunningSince is { } since && now - since >= minimumRun);

    /// <summary>The bounded code of <see cref="BlockedReason"/>, or null when the pool may grow.</summary>
    public string? BlockedCode(DateTimeOffset now, TimeSpan allocationTimeout) =>
        PricedOut ? ReasonCodes.PriceAboveLimit
        : QuotaExhausted ? ReasonCodes.Quota
        : BackoffUntil is { } until && now < until ? ReasonCodes.Backoff
        : NotWinning(now, allocationTimeout).Any() ? ReasonCodes.AllocationTimeout
        : null;

    /// <summary>Why the pool may not grow now, or null.</summary>
    public string? BlockedReason(DateTimeOffset now, TimeSpan allocationTimeout)
    {
        if (PricedOut)
        {
            return $"priced out: spot {SpotPriceCents} ¢ ≥ limit {LimitCents} ¢ per instance-hour";
        }

        if (QuotaExhausted)
        {
            return "quota exhausted";
        }

        if (BackoffUntil is { } until && now < until)
        {
            return "backing off after a failed create or resume";
        }

        return NotWinning(now, allocationTimeout).Any() ? "not winning at this price (open past allocation_timeout)" : null;
    }
}
