namespace Etrid.AiCompute.Model;

/// <summary>The fields of a <c>JobMarketplace.Jobs</c> value the figures need; times are pallet seconds.</summary>
public readonly record struct Job(ulong Id, JobStatus Status, UInt128 Payment, ulong? AssignedGpu, ulong SubmittedAt, ulong? CompletedAt)
{
    /// <summary>The job's priority; null when the runtime's <c>Job</c> has no <c>priority</c>.</summary>
    public JobPriority? Priority { get; init; }

    /// <summary>The job's model type; null when the runtime's <c>Job</c> has no <c>model_type</c>.</summary>
    public ModelType? ModelType { get; init; }

    /// <summary>The longest the job may run (<c>max_compute_time</c>, seconds); 0 when absent.</summary>
    public uint MaxComputeSeconds { get; init; }
}
