namespace Etrid.Burst.Policy;

/// <summary>How many GPUs the queue asks of the market (pure).</summary>
public static class Demand
{
    /// <summary>GPUs needed = ceil(pending / target jobs per GPU); 0 without pending jobs.</summary>
    public static long GpusNeeded(long pendingJobs, double targetJobsPerGpu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetJobsPerGpu);
        return pendingJobs <= 0 ? 0 : (long)Math.Ceiling(pendingJobs / targetJobsPerGpu);
    }

    /// <summary>Burst GPUs = GPUs needed − local capacity, never negative.</summary>
    public static long BurstGpus(long pendingJobs, double targetJobsPerGpu, long localCapacityGpus) =>
        Math.Max(0, GpusNeeded(pendingJobs, targetJobsPerGpu) - Math.Max(0, localCapacityGpus));

    /// <summary>
    /// The economic guard: revenue per GPU-hour of the queue (payments less the platform fee, valued in USD,
    /// over the jobs' maximum compute hours) must reach the spot price per GPU-hour × (1 + margin).
    /// No pending compute time means no revenue to compare: the guard refuses.
    /// </summary>
    public static bool PaysForBurst(decimal pendingPaymentEdsc, long pendingMaxComputeSeconds, int platformFeeBps, decimal edscUsdRate, decimal margin, decimal spotUsdPerGpuHour)
    {
        if (pendingMaxComputeSeconds <= 0 || pendingPaymentEdsc <= 0)
        {
            return false;
        }

        var revenueUsd = pendingPaymentEdsc * (1m - platformFeeBps / 10_000m) * edscUsdRate;
        var perGpuHour = revenueUsd / (pendingMaxComputeSeconds / 3600m);
        return perGpuHour >= spotUsdPerGpuHour * (1m + margin);
    }
}
