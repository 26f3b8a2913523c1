namespace Etrid.Burst.Control;

/// <summary>The queue's side of a tick: pending jobs, local capacity, and whether the figures may be acted on.</summary>
public sealed record BurstTickInput
{
    /// <summary>Pending jobs on the chain.</summary>
    public required long PendingJobs { get; init; }

    /// <summary>Local GPU capacity (from the HPA or configuration).</summary>
    public required long LocalGpus { get; init; }

    /// <summary>False when the snapshot is stale: hold.</summary>
    public bool Fresh { get; init; } = true;

    /// <summary>How long the oldest pending job has waited, in seconds; null = unknown (the wait-aware rule stands aside).</summary>
    public double? OldestWaitSeconds { get; init; }

    /// <summary>Average wait above its threshold while local capacity is exhausted.</summary>
    public bool Urgent { get; init; }

    /// <summary>False when the economic guard refuses bursting (no growth; existing nodes follow the usual scale-down).</summary>
    public bool Economic { get; init; } = true;

    /// <summary>
    /// The economic guard, when enabled: whether the queue pays a spot price in USD per GPU-hour (× the margin).
    /// The reconciler asks it with the cheapest usable pool's price; no usable price refuses. Null = no guard.
    /// </summary>
    public Func<decimal, bool>? PaysAtSpot { get; init; }
}
