using System.Diagnostics.Metrics;
using Etrid.Mithril.Api;
using Etrid.Mithril.Status;

namespace Etrid.Mithril.Telemetry;

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

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="store">The state the instruments read.</param>
    /// <param name="calls">The marketplace client's call statistics; null when there is no client (disabled).</param>
    public BurstMetrics(IMeterFactory meterFactory, BurstStatusStore store, MithrilCallStats? calls)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(store);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("etrid_burst_enabled", () => store.Current.Enabled ? 1 : 0, description: "1 when mithril_auto.enabled, else 0");
        _meter.CreateObservableGauge("etrid_burst_leader", () => store.Current.Leading ? 1 : 0, description: "1 when this replica leads the burst controller (or runs standalone), else 0");
        _meter.CreateObservableGauge("etrid_burst_dry_run", () => store.Current.DryRun ? 1 : 0, description: "1 when the burst controller only decides and reports");
        _meter.CreateObservableGauge("etrid_burst_bids", () => Bids(store.Current), description: "Owned spot bids by pool and status");
        _meter.CreateObservableGauge("etrid_burst_running_gpus", () => PerPool(store.Current, p => p.Bids.Count(b => b.InstanceStatus == "STATUS_RUNNING" && b.Status == "Allocated") * p.GpusPerNode), description: "GPUs of owned instances in STATUS_RUNNING");
        _meter.CreateObservableGauge("etrid_burst_desired_gpus", () => store.Current.DesiredGpus, description: "Burst GPUs the demand asks for");
        _meter.CreateObservableGauge("etrid_burst_local_gpus", () => store.Current.LocalGpus, description: "Local GPU capacity used in the last tick");
        _meter.CreateObservableGauge("etrid_burst_spot_price_usd_per_gpu_hour", () => PerPoolOptional(store.Current, p => p.SpotUsdPerGpuHour), description: "Current spot price per GPU-hour");
        _meter.CreateObservableGauge("etrid_burst_limit_price_usd_per_gpu_hour", () => PerPoolOptional(store.Current, p => p.LimitUsdPerGpuHour), description: "Configured limit price per GPU-hour");
        _meter.CreateObservableGauge("etrid_burst_spend_rate_usd_per_hour", () => store.SpendRates.Select(r => new Measurement<double>((double)r.UsdPerHour, new KeyValuePair<string, object?>("pool", r.Pool))), description: "Allocated instances × spot price, USD per hour (an estimate)");
        _meter.CreateObservableGauge("etrid_burst_committed_usd_per_hour", () => (double)store.Current.CommittedUsdPerHour, description: "Sum of live bids' limit prices, USD per hour (what the budget caps)");
        _meter.CreateObservableGauge("etrid_burst_budget_usd_per_hour", () => store.Current.BudgetUsdPerHour is { } b ? [new Measurement<double>((double)b)] : Array.Empty<Measurement<double>>(), description: "max_hourly_spend_usd");
        _meter.CreateObservableCounter("etrid_cloud_cost_usd_total", () => store.Cost.Select(c => new Measurement<double>((double)c.Usd, new KeyValuePair<string, object?>("pool", c.Pool))), description: "Estimated cloud cost: allocated instance-hours × spot price at each tick (an estimate, not the invoice)");
        _meter.CreateObservableCounter("etrid_burst_decisions_total", () => store.DecisionCounts.Select(d => new Measurement<long>(d.Count, new KeyValuePair<string, object?>("action", d.Action), new KeyValuePair<string, object?>("reason", d.Reason))), description: "Burst decisions by action and reason code");
        _meter.CreateObservableCounter("etrid_burst_preemptions_total", () => store.Preemptions.Select(p => new Measurement<long>(p.Count, new KeyValuePair<string, object?>("pool", p.Pool))), description: "Owned bids seen entering Preempting");
        _meter.CreateObservableCounter("etrid_burst_ticks_total", () => store.Ticks.Select(t => new Measurement<long>(t.Count, new KeyValuePair<string, object?>("result", t.Result))), description: "Burst reconcile ticks by result");
        if (calls is not null)
        {
            _meter.CreateObservableCounter("etrid_mithril_requests_total", () => calls.Snapshot().Select(c => new Measurement<long>(c.Count, Call(c.Operation, c.Outcome))), description: "Mithril API requests per attempt by operation and outcome");
            _meter.CreateObservableCounter("etrid_mithril_request_duration_seconds_total", () => calls.Snapshot().Select(c => new Measurement<double>(c.Seconds, Call(c.Operation, c.Outcome))), description: "Total seconds of Mithril API requests by operation and outcome");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?>[] Call(string operation, string outcome) =>
        [new("operation", operation), new("outcome", outcome)];

    private static IEnumerable<Measurement<long>> Bids(BurstStatus status) =>
        status.Pools.SelectMany(p => BidStatuses.Select(s => new Measurement<long>(
            p.Bids.Count(b => b.Status == s.Status || (s.Label == "open" && b.Status == "Unknown")),
            new KeyValuePair<string, object?>("pool", p.Name),
            new KeyValuePair<string, object?>("status", s.Label))));

    private static IEnumerable<Measurement<long>> PerPool(BurstStatus status, Func<BurstPoolStatus, long> value) =>
        status.Pools.Select(p => new Measurement<long>(value(p), new KeyValuePair<string, object?>("pool", p.Name)));

    private static IEnumerable<Measurement<double>> PerPoolOptional(BurstStatus status, Func<BurstPoolStatus, decimal?> value) =>
        status.Pools.Where(p => value(p) is not null).Select(p => new Measurement<double>((double)value(p)!.Value, new KeyValuePair<string, object?>("pool", p.Name)));
}
