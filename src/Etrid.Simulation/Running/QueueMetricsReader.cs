using Etrid.Simulation.Hpa;

namespace Etrid.Simulation.Running;

/// <summary>
/// The HPA's view of the simulated chain, as the adapter would serve it: <c>etrid_job_queue_depth</c> (jobs that
/// need a GPU: pending and processing) and <c>etrid_avg_job_wait_seconds</c> (mean wait of the pending jobs).
/// </summary>
internal sealed class QueueMetricsReader : IExternalMetricsReader
{
    /// <summary>The queue-depth metric the simulated HPA scales on.</summary>
    public const string QueueDepth = "etrid_job_queue_depth";

    /// <summary>The wait metric the simulated HPA scales on.</summary>
    public const string AverageWait = "etrid_avg_job_wait_seconds";

    /// <summary>Jobs pending or processing now.</summary>
    public long JobsInSystem { get; set; }

    /// <summary>Mean wait of the pending jobs now, in seconds.</summary>
    public double AverageWaitSeconds { get; set; }

    /// <inheritdoc />
    public Task<MetricReading> ReadAsync(string @namespace, string metricName, string? selector, CancellationToken cancellationToken) =>
        Task.FromResult(metricName switch
        {
            QueueDepth => MetricReading.Of(JobsInSystem * 1000),
            AverageWait => MetricReading.Of((long)Math.Round(AverageWaitSeconds * 1000)),
            _ => MetricReading.Failed($"no metric {metricName}"),
        });

    /// <summary>The simulated HPA: the seed's behaviour, one job per worker, 30 s of wait.</summary>
    public static HpaSpec Spec(int minReplicas, int maxReplicas) => new(
        minReplicas,
        maxReplicas,
        [
            new HpaMetricSpec(QueueDepth, "pbc=ai-compute,status in (pending,processing)", MetricTargetType.AverageValue, 1),
            new HpaMetricSpec(AverageWait, "pbc=ai-compute", MetricTargetType.Value, 30),
        ],
        HpaBehavior.Seed);
}
