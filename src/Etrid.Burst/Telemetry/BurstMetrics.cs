using System.Diagnostics.Metrics;
using Etrid.AiCompute.Telemetry;
using Etrid.Burst.Status;

namespace Etrid.Burst.Telemetry;

/// <summary>
/// The meter <c>Etrid.Burst</c>: observable instruments read the last tick's state from the store at
/// collection time, so a scrape never waits on the controller. Series of known labels report zeros
/// rather than vanishing; reason labels are the bounded codes of <see cref="Policy.ReasonCodes"/>.
/// </summary>
public sealed class BurstMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Burst";

    // The bid statuses the bids gauge reports per pool, zeros included.
    private static readonly (string Label, string Status)[] BidStatuses = [("open", "Open"), ("allocated", "Allocated"), ("preempting", "Preempting"), ("paused", "Paused")];

    public static readonly MetricDeclaration Enabled = new("etrid_burst_enabled", MetricKind.Gauge, "1 when mithril_auto.enabled, else 0", []);
    public static readonly MetricDeclaration Leader = new("etrid_burst_leader", MetricKind.Gauge, "1 when this replica leads the burst controller (or runs standalone), else 0", []);
    public static readonly MetricDeclaration DryRun = new("etrid_burst_dry_run", MetricKind.Gauge, "1 when the burst controller only decides and reports", []);
    public static readonly MetricDeclaration BidsMetric = new("etrid_burst_bids", MetricKind.Gauge, "Owned spot bids by pool and status (open, allocated, preempting, paused), zeros included", ["pool", "status"]);
    public static readonly MetricDeclaration RunningGpus = new("etrid_burst_running_gpus", MetricKind.Gauge, "GPUs of owned instances in STATUS_RUNNING", ["pool"]);
    public static readonly MetricDeclaration DesiredGpus = new("etrid_burst_desired_gpus", MetricKind.Gauge, "Burst GPUs the demand asks for", []);
    public static readonly MetricDeclaration LocalGpus = new("etrid_burst_local_gpus", MetricKind.Gauge, "Local GPU capacity used in the last tick", []);
    public static readonly MetricDeclaration SpotPrice = new("etrid_burst_spot_price_usd_per_gpu_hour", MetricKind.Gauge, "Current spot price per GPU-hour", ["pool"]);
    public static readonly MetricDeclaration LimitPrice = new("etrid_burst_limit_price_usd_per_gpu_hour", MetricKind.Gauge, "Configured limit price per GPU-hour", ["pool"]);
    public static readonly MetricDeclaration SpendRate = new("etrid_burst_spend_rate_usd_per_hour", MetricKind.Gauge, "Allocated instances × spot price, USD per hour (an estimate)", ["pool"]);
    public static readonly MetricDeclaration Committed = new("etrid_burst_committed_usd_per_hour", MetricKind.Gauge, "Sum of live bids' limit prices, USD per hour (what the budget caps)", []);
    public static readonly MetricDeclaration Budget = new("etrid_burst_budget_usd_per_hour", MetricKind.Gauge, "max_hourly_spend_usd (absent when unset)", []);
    public static readonly MetricDeclaration CloudCost = new("etrid_cloud_cost_usd_total", MetricKind.Counter, "Estimated cloud cost: allocated instance-hours × spot price at each tick (an estimate, not the invoice)", ["pool"]);
    public static readonly MetricDeclaration Decisions = new("etrid_burst_decisions_total", MetricKind.Counter, "Burst decisions by action (create, resume, pause, cancel, hold) and reason code", ["action", "reason"]);
    public static readonly MetricDeclaration PreemptionsMetric = new("etrid_burst_preemptions_total", MetricKind.Counter, "Owned bids seen entering Preempting", ["pool"]);
    public static readonly MetricDeclaration TicksMetric = new("etrid_burst_ticks_total", MetricKind.Counter, "Burst reconcile ticks by result (ok, failed, held)", ["result"]);

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="store">The state the instruments read.</param>
    public BurstMetrics(IMeterFactory meterFactory, BurstStatusStore store)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(store);
        _meter = meterFactory.Create(MeterName);
        IEnumerable<Measurement<long>> Flag(MetricDeclaration d, bool on) => [d.Measure(on ? 1L : 0L)];
        _meter.CreateObservableGauge(Enabled, () => Flag(Enabled, store.Current.Enabled));
        _meter.CreateObservableGauge(Leader, () => Flag(Leader, store.Current.Leading));
        _meter.CreateObservableGauge(DryRun, () => Flag(DryRun, store.Current.DryRun));
        _meter.CreateObservableGauge(BidsMetric, () => Bids(store.Current));
        _meter.CreateObservableGauge(RunningGpus, () => store.Current.Pools.Select(p => RunningGpus.Measure((long)p.Bids.Count(b => b.InstanceRunning && b.Status == "Allocated") * p.GpusPerNode, p.Name)));
        _meter.CreateObservableGauge(DesiredGpus, () => new[] { DesiredGpus.Measure(store.Current.DesiredGpus) });
        _meter.CreateObservableGauge(LocalGpus, () => new[] { LocalGpus.Measure(store.Current.LocalGpus) });
        _meter.CreateObservableGauge(SpotPrice, () => PerPoolOptional(SpotPrice, store.Current, p => p.SpotUsdPerGpuHour));
        _meter.CreateObservableGauge(LimitPrice, () => PerPoolOptional(LimitPrice, store.Current, p => p.LimitUsdPerGpuHour));
        _meter.CreateObservableGauge(SpendRate, () => store.SpendRates.Select(r => SpendRate.Measure((double)r.UsdPerHour, r.Pool)));
        _meter.CreateObservableGauge(Committed, () => new[] { Committed.Measure((double)store.Current.CommittedUsdPerHour) });
        _meter.CreateObservableGauge(Budget, () => store.Current.BudgetUsdPerHour is { } b ? [Budget.Measure((double)b)] : Array.Empty<Measurement<double>>());
        _meter.CreateObservableCounter(CloudCost, () => store.Cost.Select(c => CloudCost.Measure((double)c.Usd, c.Pool)));
        _meter.CreateObservableCounter(Decisions, () => store.DecisionCounts.Select(d => Decisions.Measure(d.Count, d.Action, d.Reason)));
        _meter.CreateObservableCounter(PreemptionsMetric, () => store.Preemptions.Select(p => PreemptionsMetric.Measure(p.Count, p.Pool)));
        _meter.CreateObservableCounter(TicksMetric, () => store.Ticks.Select(t => TicksMetric.Measure(t.Count, t.Result)));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Bids(BurstStatus status) =>
        status.Pools.SelectMany(p => BidStatuses.Select(s => BidsMetric.Measure(
            (long)p.Bids.Count(b => b.Status == s.Status || (s.Label == "open" && b.Status == "Unknown")),
            p.Name,
            s.Label)));

    private static IEnumerable<Measurement<double>> PerPoolOptional(MetricDeclaration declaration, BurstStatus status, Func<BurstPoolStatus, decimal?> value) =>
        status.Pools.Where(p => value(p) is not null).Select(p => declaration.Measure((double)value(p)!.Value, p.Name));
}
