using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Bounds;

/// <summary>
/// The cost lower bound: provisioning is instant and exact. Jobs are served first come first served by the
/// local GPUs (all of them, always up); a job that could not start locally within the wait threshold gets a
/// cloud GPU for exactly its run time, at the spot price per GPU-hour of the minute it starts.
/// </summary>
public static class LowerBound
{
    /// <summary>GPU-hours the cloud must supply and what they cost at the spot price.</summary>
    /// <param name="jobs">The trace, in arrival order.</param>
    /// <param name="localGpus">Local GPUs.</param>
    /// <param name="waitThreshold">Longest acceptable wait before a job must run somewhere.</param>
    /// <param name="spotUsdPerGpuHourByMinute">The spot price per GPU-hour of each minute of the day (the last holds after).</param>
    public static (double GpuHours, decimal CostUsd) Compute(IReadOnlyList<SimJob> jobs, int localGpus, TimeSpan waitThreshold, IReadOnlyList<decimal> spotUsdPerGpuHourByMinute)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(spotUsdPerGpuHourByMinute);
        var threshold = (long)waitThreshold.TotalSeconds;
        var freeAt = new PriorityQueue<int, long>();
        for (var i = 0; i < localGpus; i++)
        {
            freeAt.Enqueue(i, 0);
        }

        long cloudSeconds = 0;
        var cost = 0m;
        foreach (var job in jobs)
        {
            if (freeAt.Count > 0 && freeAt.TryPeek(out var gpu, out var free) && Math.Max(free, job.ArrivalSeconds) - job.ArrivalSeconds <= threshold)
            {
                freeAt.Dequeue();
                freeAt.Enqueue(gpu, Math.Max(free, job.ArrivalSeconds) + job.DurationSeconds);
                continue;
            }

            var start = job.ArrivalSeconds + threshold;
            cloudSeconds += job.DurationSeconds;
            cost += job.DurationSeconds / 3600m * PriceAt(spotUsdPerGpuHourByMinute, start);
        }

        return (cloudSeconds / 3600.0, cost);
    }

    private static decimal PriceAt(IReadOnlyList<decimal> byMinute, long second)
    {
        if (byMinute.Count == 0)
        {
            return 0;
        }

        var minute = (int)Math.Min(byMinute.Count - 1, second / 60);
        return byMinute[minute];
    }
}
