using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.Figures;

/// <summary>Every figure derived from the chain at one block (see the chain spec, §2.2).</summary>
public sealed record ChainFigures(
    IReadOnlyDictionary<JobStatus, long> JobsByStatus,
    double AverageWaitSeconds,
    double AverageDurationSeconds,
    IReadOnlyList<ProviderFigures> Providers,
    IReadOnlyDictionary<GpuStatus, long> GpusByStatus,
    double JobsPerActiveGpu,
    int PendingListLength,
    long UnattributedJobs)
{
    public long Pending => JobsByStatus.GetValueOrDefault(JobStatus.Pending);

    /// <summary>The pending queue in detail, for the burst controller.</summary>
    public PendingQueueFigures PendingQueue { get; init; } = PendingQueueFigures.Empty;
}
