namespace Etrid.Burst.Policy;

/// <summary>The wait-aware demand of one tick.</summary>
/// <param name="Gpus">Burst GPUs the queue asks for.</param>
/// <param name="Due">The oldest pending job has waited <c>wait_threshold − wait_lead</c>: grow without waiting for <c>scale_up_after</c>.</param>
/// <param name="HoldsCapacity">The oldest pending job has waited <c>release_below_wait</c>: release nothing.</param>
public sealed record WaitAwareDemandResult(long Gpus, bool Due, bool HoldsCapacity)
{
    /// <summary>Burst GPUs kept from a release: the demand at <c>release_jobs_per_gpu</c> (0 when that is off).</summary>
    public long KeepGpus { get; init; }
}
