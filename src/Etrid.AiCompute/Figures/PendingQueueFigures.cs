using System.Numerics;
using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.Figures;

/// <summary>
/// The pending queue in the detail the burst controller needs (not exported to /metrics): counts by
/// priority and model type, what the queue pays, how long it asks to run, and how long its oldest
/// job has waited (pallet seconds).
/// </summary>
public sealed record PendingQueueFigures
{
    /// <summary>No pending job.</summary>
    public static PendingQueueFigures Empty { get; } = new();

    /// <summary>Pending jobs by priority (every priority present, zero when none).</summary>
    public IReadOnlyDictionary<JobPriority, long> ByPriority { get; init; } = Enum.GetValues<JobPriority>().ToDictionary(p => p, _ => 0L);

    /// <summary>Pending jobs by model type (every type present, zero when none).</summary>
    public IReadOnlyDictionary<ModelType, long> ByModelType { get; init; } = Enum.GetValues<ModelType>().ToDictionary(m => m, _ => 0L);

    /// <summary>Σ payment of the pending jobs, in planck (before the platform fee).</summary>
    public BigInteger TotalPaymentPlanck { get; init; }

    /// <summary>Σ <c>max_compute_time</c> of the pending jobs, in seconds.</summary>
    public ulong TotalMaxComputeSeconds { get; init; }

    /// <summary>How long the oldest pending job has waited, in pallet seconds; 0 when none.</summary>
    public double OldestWaitSeconds { get; init; }
}
