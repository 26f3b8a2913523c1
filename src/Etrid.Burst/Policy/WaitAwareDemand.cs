namespace Etrid.Burst.Policy;

/// <summary>
/// The wait-aware demand rule (pure): the queue rule (GPUs = ceil(jobs / jobs per GPU) − local) sized by how long
/// the oldest pending job has waited. Once it is due (waited <c>wait_threshold − wait_lead</c>, so that capacity
/// asked for now arrives before it passes the threshold) the queue is sized at <c>urgent_jobs_per_gpu</c> and the
/// breach need not last <c>scale_up_after</c>; while it has waited <c>release_below_wait</c> or more no capacity is
/// released, since a pending job that old means every GPU is busy and a node given back would be a busy one.
/// Capacity therefore arrives before the threshold and leaves only when the queue is young.
/// </summary>
public static class WaitAwareDemand
{
    /// <summary>This tick's burst demand in GPUs, whether the oldest pending job is due, and whether capacity is held.</summary>
    /// <param name="jobs">Jobs the queue rule counts (pending, and running where configured).</param>
    /// <param name="localGpus">Local GPU capacity.</param>
    /// <param name="oldestWaitSeconds">How long the oldest pending job has waited; null = unknown (the queue rule alone).</param>
    /// <param name="settings">The rule's settings.</param>
    public static WaitAwareDemandResult BurstGpus(long jobs, long localGpus, double? oldestWaitSeconds, WaitAwareSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var queue = Demand.BurstGpus(jobs, settings.TargetJobsPerGpu, localGpus);
        var keep = settings.ReleaseJobsPerGpu is { } release ? Demand.BurstGpus(jobs, release, localGpus) : 0;
        if (oldestWaitSeconds is not { } oldest || jobs <= 0)
        {
            return new(queue, false, false) { KeepGpus = keep };
        }

        var due = settings.UrgentJobsPerGpu is { } urgent && settings.WaitThreshold > TimeSpan.Zero
            && oldest >= (settings.WaitThreshold - settings.WaitLead).TotalSeconds;
        var gpus = due ? Math.Max(queue, Demand.BurstGpus(jobs, settings.UrgentJobsPerGpu!.Value, localGpus)) : queue;
        return new(gpus, due, settings.ReleaseBelowWait is { } hold && oldest >= hold.TotalSeconds) { KeepGpus = keep };
    }
}
