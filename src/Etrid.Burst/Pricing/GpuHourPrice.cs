namespace Etrid.Burst.Pricing;

/// <summary>
/// Limits are configured per <b>GPU</b>-hour and placed per <b>instance</b>-hour: the figure placed is the per-GPU
/// limit × the instance type's GPU count, rounded down to the cent so it never exceeds the configured ceiling.
/// </summary>
public static class GpuHourPrice
{
    /// <summary>Largest price handled, in cents ($10,000,000 an hour): anything above is a typo or hostile.</summary>
    public const long MaxCents = 1_000_000_000;

    /// <summary>
    /// The per-instance-hour limit in cents for a per-GPU-hour limit: <c>floor(perGpuHour × numGpus × 100)</c>.
    /// Throws when the GPU count is not positive, the price is negative, or the result is below one cent or absurdly large.
    /// </summary>
    public static long InstanceLimitCents(decimal limitPerGpuHour, int numGpus)
    {
        if (numGpus <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numGpus), numGpus, "the instance type has no GPUs");
        }

        if (limitPerGpuHour < 0 || limitPerGpuHour > MaxCents / 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, "the price per GPU-hour is out of range");
        }

        var cents = decimal.Floor(limitPerGpuHour * numGpus * 100m);
        if (cents < 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, $"the limit per instance-hour ({limitPerGpuHour} × {numGpus} GPUs) is below $0.01");
        }

        if (cents > MaxCents)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, "the limit per instance-hour is out of range");
        }

        return (long)cents;
    }

    /// <summary>A per-instance-hour price in cents as dollars per GPU-hour (for display and comparisons in the configured unit).</summary>
    public static decimal PerGpuHour(long instanceCents, int numGpus)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numGpus);
        return instanceCents / 100m / numGpus;
    }
}
