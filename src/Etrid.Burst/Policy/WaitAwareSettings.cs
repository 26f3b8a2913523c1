namespace Etrid.Burst.Policy;

/// <summary>The wait-aware demand rule's settings (from <c>mithril_auto</c>); both parts off by default.</summary>
public sealed record WaitAwareSettings
{
    /// <summary>The queue rule's jobs per GPU (<c>target_jobs_per_gpu</c>).</summary>
    public required double TargetJobsPerGpu { get; init; }

    /// <summary>Jobs per GPU once the oldest pending job is due (<c>urgent_jobs_per_gpu</c>); null = the target always.</summary>
    public double? UrgentJobsPerGpu { get; init; }

    /// <summary>The wait that must not be passed (<c>wait_threshold</c>).</summary>
    public TimeSpan WaitThreshold { get; init; }

    /// <summary>How long new capacity takes to serve a job (<c>wait_lead</c>): a job is due at <c>wait_threshold − wait_lead</c>.</summary>
    public TimeSpan WaitLead { get; init; }

    /// <summary>While the oldest pending job has waited this long, nothing is released (<c>release_below_wait</c>); null = off.</summary>
    public TimeSpan? ReleaseBelowWait { get; init; }

    /// <summary>Jobs per GPU a release is sized at (<c>release_jobs_per_gpu</c>): capacity the queue needs at this rate is kept; null = off.</summary>
    public double? ReleaseJobsPerGpu { get; init; }
}
