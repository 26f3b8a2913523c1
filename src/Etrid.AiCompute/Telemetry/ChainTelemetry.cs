using System.Diagnostics.Metrics;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;

namespace Etrid.AiCompute.Telemetry;

/// <summary>
/// The chain follower's self-metrics (meter <c>Etrid.Chain</c>): connection health, heads, staleness and the chain
/// reads, all observable, so they are read from the snapshot seam and the call statistics at every collection
/// (they change between snapshots).
/// </summary>
public sealed class ChainTelemetry : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Chain";

    private const string Pbc = ChainMetricCatalogue.PbcLabel;

    public static readonly MetricDeclaration Up = new("etrid_chain_up", MetricKind.Gauge, "1 when connected to a node and the figures are fresh, else 0.", [Pbc]);
    public static readonly MetricDeclaration BestBlock = new("etrid_chain_best_block", MetricKind.Gauge, "Best block number announced by the node.", [Pbc]);
    public static readonly MetricDeclaration FinalizedBlock = new("etrid_chain_finalized_block", MetricKind.Gauge, "Finalized block number announced by the node.", [Pbc]);
    public static readonly MetricDeclaration SinceFinalized = new("etrid_chain_seconds_since_finalized_block", MetricKind.Gauge, "Seconds since the node last announced a finalized block.", [Pbc]);
    public static readonly MetricDeclaration SnapshotAge = new("etrid_chain_snapshot_age_seconds", MetricKind.Gauge, "Seconds since the exported figures were taken.", [Pbc]);
    public static readonly MetricDeclaration Reconnects = new("etrid_chain_reconnects_total", MetricKind.Counter, "Connections to nodes lost since start.", [Pbc]);
    public static readonly MetricDeclaration FullSyncs = new("etrid_chain_full_syncs_total", MetricKind.Counter, "Full syncs of the chain state (start-up, reconnects, upgrades, verification).", [Pbc]);
    public static readonly MetricDeclaration Drift = new("etrid_chain_verification_drift_total", MetricKind.Counter, "Values the periodic full re-read found different from the incrementally kept state.", [Pbc]);
    public static readonly MetricDeclaration LoopFailures = new("etrid_chain_follower_failures_total", MetricKind.Counter, "Failures of the chain follower's loop (each logged and retried with backoff).", [Pbc]);
    public static readonly MetricDeclaration EndpointLag = new("etrid_chain_endpoint_lag_blocks", MetricKind.Gauge, "Blocks the connected node's finalized head is behind the kept state (a lagging or restarted node; the figures are kept); 0 when current.", [Pbc]);
    public static readonly MetricDeclaration EndpointBelieved = new("etrid_chain_endpoint_believed", MetricKind.Gauge, "1 while the connected node behaves; 0 while it is refused (another genesis) or not believed after nonsense (implausible heads, stray replies, an oversized message).", [Pbc]);
    public static readonly MetricDeclaration EndpointProblems = new("etrid_chain_endpoint_problems_total", MetricKind.Counter, "Pieces of nonsense received from nodes and ignored (implausible heads and runtime versions, stray replies, oversized messages, refusals).", [Pbc]);
    public static readonly MetricDeclaration RpcRequests = new("etrid_chain_rpc_requests_total", MetricKind.Counter, "JSON-RPC calls by method.", ["method"]);
    public static readonly MetricDeclaration RpcErrors = new("etrid_chain_rpc_errors_total", MetricKind.Counter, "Failed JSON-RPC calls by method.", ["method"]);
    public static readonly MetricDeclaration RpcSeconds = new("etrid_chain_rpc_duration_seconds_total", MetricKind.Counter, "Time spent in JSON-RPC calls by method.", ["method"]);
    public static readonly MetricDeclaration RpcBytes = new("etrid_chain_rpc_bytes_total", MetricKind.Counter, "Bytes over the node connections by direction (sent, received).", ["direction"]);

    private readonly Meter _meter;

    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="pbc">The <c>pbc</c> label.</param>
    /// <param name="source">The snapshot seam (health, freshness, the current snapshot).</param>
    /// <param name="calls">The chain reads' statistics per JSON-RPC method.</param>
    /// <param name="bytes">Bytes over the node connections.</param>
    /// <param name="time">The clock staleness is measured with.</param>
    public ChainTelemetry(IMeterFactory meterFactory, string pbc, IChainSnapshotSource source, RpcCallStats calls, ByteCounters bytes, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(time);
        _meter = meterFactory.Create(MeterName);
        IEnumerable<Measurement<long>> One(MetricDeclaration d, long value) => [d.Measure(value, pbc)];
        IEnumerable<Measurement<double>> Maybe(MetricDeclaration d, double? value) => value is { } v ? [d.Measure(v, pbc)] : [];

        _meter.CreateObservableGauge(Up, () => One(Up, source.Read().IsFresh ? 1 : 0));
        _meter.CreateObservableGauge(BestBlock, () => Maybe(BestBlock, source.Health.BestBlock));
        _meter.CreateObservableGauge(FinalizedBlock, () => Maybe(FinalizedBlock, source.Health.FinalizedBlock));
        _meter.CreateObservableGauge(SinceFinalized, () => Maybe(SinceFinalized, source.Health.LastFinalizedAt is { } last ? Math.Max(0, (time.GetUtcNow() - last).TotalSeconds) : null));
        _meter.CreateObservableGauge(SnapshotAge, () => Maybe(SnapshotAge, source.Current is { } s ? Math.Max(0, s.Age(time.GetUtcNow()).TotalSeconds) : null));
        _meter.CreateObservableCounter(Reconnects, () => One(Reconnects, source.Health.Reconnects));
        _meter.CreateObservableCounter(FullSyncs, () => One(FullSyncs, source.Health.FullSyncs));
        _meter.CreateObservableCounter(Drift, () => One(Drift, source.Health.VerificationDrift));
        _meter.CreateObservableCounter(LoopFailures, () => One(LoopFailures, source.Health.LoopFailures));
        _meter.CreateObservableGauge(EndpointLag, () => One(EndpointLag, source.Health.EndpointLagBlocks));
        _meter.CreateObservableGauge(EndpointBelieved, () => One(EndpointBelieved, source.Health.EndpointProblem is null ? 1 : 0));
        _meter.CreateObservableCounter(EndpointProblems, () => One(EndpointProblems, source.Health.EndpointProblems));
        _meter.CreateObservableCounter(RpcRequests, () => calls.Methods.Select(m => RpcRequests.Measure(m.Value.Calls, m.Key)));
        _meter.CreateObservableCounter(RpcErrors, () => calls.Methods.Select(m => RpcErrors.Measure(m.Value.Failures, m.Key)));
        _meter.CreateObservableCounter(RpcSeconds, () => calls.Methods.Select(m => RpcSeconds.Measure(m.Value.TotalSeconds, m.Key)));
        _meter.CreateObservableCounter(RpcBytes, () => new[] { RpcBytes.Measure(bytes.Sent, "sent"), RpcBytes.Measure(bytes.Received, "received") });
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
