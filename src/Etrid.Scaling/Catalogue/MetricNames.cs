namespace Etrid.Scaling.Catalogue;

/// <summary>The metric names served to autoscalers (lower-case: client-go lower-cases them anyway).</summary>
public static class MetricNames
{
    /// <summary>Pending jobs, label <c>status=pending</c> (only pending: the HPA sums every matching item).</summary>
    public const string QueueDepth = "etrid_job_queue_depth";

    /// <summary>(Pending + processing) jobs per Active GPU.</summary>
    public const string JobsPerActiveGpu = "etrid_jobs_per_active_gpu";

    /// <summary>Mean wait of pending and recently assigned jobs, seconds.</summary>
    public const string AverageWait = "etrid_avg_job_wait_seconds";

    /// <summary>Mean duration of recently completed jobs, seconds (no value while none completed).</summary>
    public const string AverageDuration = "etrid_avg_job_duration_seconds";

    /// <summary>Registered GPUs, one item per status.</summary>
    public const string Gpus = "etrid_gpus";

    /// <summary>Busy Active GPUs per Active GPU × 100, one item per provider.</summary>
    public const string GpuUtilization = "etrid_gpu_utilization_percent";

    /// <summary>Every name, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
        new[] { QueueDepth, JobsPerActiveGpu, AverageWait, AverageDuration, Gpus, GpuUtilization }.Order(StringComparer.Ordinal).ToArray();
}
