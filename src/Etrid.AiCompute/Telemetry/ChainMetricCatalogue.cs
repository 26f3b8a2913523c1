using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.Telemetry;

/// <summary>
/// Every figure of the chain, declared once: name, type, help, labels and how it is read from a snapshot. The
/// exporter renders <c>/metrics</c>' chain part from <see cref="All"/> once per snapshot; the external metrics API
/// and the KEDA scaler serve the <see cref="ChainMetric.Scaled"/> ones by name; the README's metrics reference is
/// generated from it. To add a figure, add one <see cref="Declare"/> here and a test of its value.
/// </summary>
public static class ChainMetricCatalogue
{
    /// <summary>The label naming the chain on chain-wide figures.</summary>
    public const string PbcLabel = "pbc";

    private const string AtFinalized = " Taken at the last finalized block.";

    // First: the fields below are initialised in textual order, each adding itself.
    private static readonly List<ChainMetric> Declared = [];

    /// <summary>Jobs by status; <c>status="pending"</c> is the scaling signal (the only series autoscalers get).</summary>
    public static readonly ChainMetric QueueDepth = Declare(
        new("etrid_job_queue_depth", MetricKind.Gauge, "Jobs by status (pending, assigned, completed, failed, disputed, cancelled); status=\"pending\" is the scaling signal." + AtFinalized, [PbcLabel, "status"]),
        s => Enum.GetValues<JobStatus>().Select(status => new FigureSample(JobStatusLabel(status), s.Figures.JobsByStatus.GetValueOrDefault(status))),
        scaledLabelValue: "pending");

    /// <summary>Mean wait of pending and recently assigned jobs, seconds.</summary>
    public static readonly ChainMetric AverageWait = Declare(
        new("etrid_avg_job_wait_seconds", MetricKind.Gauge, "Mean wait of pending jobs so far and of jobs assigned within the window, in pallet seconds (block x 6)." + AtFinalized, [PbcLabel]),
        s => [new(null, s.Figures.AverageWaitSeconds)],
        scaled: true);

    /// <summary>Mean duration of recently completed jobs, seconds; NaN (no value for autoscalers) while none completed.</summary>
    public static readonly ChainMetric AverageDuration = Declare(
        new("etrid_avg_job_duration_seconds", MetricKind.Gauge, "Mean submit-to-completion time of jobs completed within the window, in pallet seconds; NaN when none completed." + AtFinalized, [PbcLabel]),
        s => [new(null, s.Figures.AverageDurationSeconds)],
        scaled: true);

    /// <summary>Busy Active GPUs per Active GPU × 100, per provider.</summary>
    public static readonly ChainMetric GpuUtilization = Declare(
        new("etrid_gpu_utilization_percent", MetricKind.Gauge, "Processing jobs on the provider's Active GPUs per Active GPU, in percent (not clamped)." + AtFinalized, ["provider"]),
        s => s.Figures.Providers.Select(p => new FigureSample(p.Address, p.UtilizationPercent)),
        scaled: true);

    /// <summary>Jobs completed on a provider's GPUs.</summary>
    public static readonly ChainMetric JobsCompleted = Declare(
        new("etrid_gpu_jobs_completed_total", MetricKind.Counter, "Jobs completed (or completed and then disputed) on the provider's GPUs." + AtFinalized, ["provider"]),
        s => s.Figures.Providers.Select(p => new FigureSample(p.Address, p.JobsCompleted)));

    /// <summary>A provider's earnings, EDSC.</summary>
    public static readonly ChainMetric Earnings = Declare(
        new("etrid_gpu_earnings_total_edsc", MetricKind.Gauge, "Payments less the runtime's platform fee for the provider's completed jobs, in EDSC; never decreases (a gauge only because the name lacks the _total suffix)." + AtFinalized, ["provider"]),
        s => s.Figures.Providers.Select(p => new FigureSample(p.Address, p.EarningsEdsc)));

    /// <summary>Registered GPUs by status.</summary>
    public static readonly ChainMetric Gpus = Declare(
        new("etrid_gpus", MetricKind.Gauge, "Registered GPUs by status (active, paused, offline, slashed)." + AtFinalized, [PbcLabel, "status"]),
        s => Enum.GetValues<GpuStatus>().Select(status => new FigureSample(status.ToString().ToLowerInvariant(), s.Figures.GpusByStatus.GetValueOrDefault(status))),
        scaled: true);

    /// <summary>(Pending + processing) jobs per Active GPU.</summary>
    public static readonly ChainMetric JobsPerActiveGpu = Declare(
        new("etrid_jobs_per_active_gpu", MetricKind.Gauge, "Pending and processing jobs per Active GPU (0 without Active GPUs)." + AtFinalized, [PbcLabel]),
        s => [new(null, s.Figures.JobsPerActiveGpu)],
        scaled: true);

    /// <summary>Completed jobs whose GPU's provider is unknown.</summary>
    public static readonly ChainMetric UnattributedJobs = Declare(
        new("etrid_unattributed_completed_jobs", MetricKind.Gauge, "Completed jobs whose GPU's provider is unknown (left out of per-provider series)." + AtFinalized, [PbcLabel]),
        s => [new(null, s.Figures.UnattributedJobs)]);

    /// <summary>The block the figures were taken at.</summary>
    public static readonly ChainMetric SnapshotBlock = Declare(
        new("etrid_chain_snapshot_block", MetricKind.Gauge, "Block the exported figures were taken at.", [PbcLabel]),
        s => [new(null, s.BlockNumber)]);

    /// <summary>The runtime's spec version at that block.</summary>
    public static readonly ChainMetric SpecVersion = Declare(
        new("etrid_chain_spec_version", MetricKind.Gauge, "Runtime spec version of the snapshot's block.", [PbcLabel]),
        s => [new(null, s.SpecVersion)]);

    /// <summary>Every figure, in declaration order (the order of <c>/metrics</c>).</summary>
    public static IReadOnlyList<ChainMetric> All => Declared;

    /// <summary>The label value of a job status (<see cref="JobStatus.Processing"/> is <c>assigned</c>, the seed's word).</summary>
    public static string JobStatusLabel(JobStatus status) => status switch
    {
        JobStatus.Processing => "assigned",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static ChainMetric Declare(MetricDeclaration declaration, Func<Snapshots.ChainSnapshot, IEnumerable<FigureSample>> read, bool scaled = false, string? scaledLabelValue = null)
    {
        var metric = new ChainMetric(declaration, read) { Scaled = scaled || scaledLabelValue is not null, ScaledLabelValue = scaledLabelValue };
        Declared.Add(metric);
        return metric;
    }
}
