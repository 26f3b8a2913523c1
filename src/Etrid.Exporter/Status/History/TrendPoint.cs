namespace Etrid.Exporter.Status.History;

/// <summary>
/// One snapshot's key figures for the status page's charts (snake_case in JSON). The burst members are
/// null while the burst controller is off.
/// </summary>
/// <param name="Seq">Increases by one per recorded point (a point replaced within the spacing keeps its number).</param>
/// <param name="At">When the snapshot was taken in.</param>
/// <param name="Block">The snapshot's block.</param>
/// <param name="Pending">Pending jobs.</param>
/// <param name="Processing">Processing jobs.</param>
/// <param name="AverageWaitSeconds">Average wait of the pending jobs; null when not finite.</param>
/// <param name="ActiveGpus">Active GPUs on the chain.</param>
/// <param name="LocalGpus">The burst controller's local GPU capacity.</param>
/// <param name="BurstDesiredGpus">Burst GPUs the demand asks for.</param>
/// <param name="BurstRunningGpus">Burst GPUs covered by live bids.</param>
/// <param name="SpendUsdPerHour">The burst spend rate (estimate).</param>
/// <param name="CommittedUsdPerHour">What the live bids' limits commit to.</param>
/// <param name="BudgetUsdPerHour">The budget; null when there is none.</param>
public readonly record struct TrendPoint(
    long Seq,
    DateTimeOffset At,
    uint Block,
    long Pending,
    long Processing,
    double? AverageWaitSeconds,
    long ActiveGpus,
    long? LocalGpus,
    long? BurstDesiredGpus,
    long? BurstRunningGpus,
    double? SpendUsdPerHour,
    double? CommittedUsdPerHour,
    double? BudgetUsdPerHour);
