using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// The exporter's Prometheus metrics in their own registry. Figures are copied from the latest
/// snapshot at scrape time (only when a new snapshot arrived); live connection facts are read at
/// every scrape. A provider that leaves the chain leaves /metrics. Everything comes through the
/// snapshot seam (figures, freshness, health) and the chain reads' self-metrics.
/// </summary>
public sealed partial class ExporterMetrics : IDisposable
{
    private const string AtFinalized = " Taken at the last finalized block.";
    private readonly IChainSnapshotSource _source;
    private readonly RpcCallStats _calls;
    private readonly ByteCounters _bytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _pbc;
    private readonly Lock _gate = new();
    // The last exported totals by provider, to notice a total that goes down; its strings are the snapshot's own.
    private readonly Dictionary<string, ProviderTotals> _providers = new(StringComparer.Ordinal);
    private ChainSnapshot? _exported;
    private long _generation;

    private readonly Gauge _queueDepth;
    private readonly Gauge _avgWait;
    private readonly Gauge _avgDuration;
    private readonly Gauge _gpuCount;
    private readonly Gauge _jobsPerGpu;
    private readonly Gauge _unattributed;
    private readonly Gauge _up;
    private readonly Gauge _bestBlock;
    private readonly Gauge _finalizedBlock;
    private readonly Gauge _processedBlock;
    private readonly Gauge _sinceFinalized;
    private readonly Gauge _snapshotAge;
    private readonly Counter _reconnects;
    private readonly Counter _rpcRequests;
    private readonly Counter _rpcErrors;
    private readonly Counter _rpcSeconds;
    private readonly Counter _rpcBytes;
    private readonly Counter _drift;
    private readonly Counter _syncs;
    private readonly Gauge _specVersion;
    private readonly Gauge _gcCommitted;
    private readonly Counter _loopFailures;
    private readonly Counter _seriesResets;
    private readonly Gauge _endpointLag;
    private readonly Gauge _endpointBelieved;
    private readonly Counter _endpointProblems;
    private readonly IDisposable _meters;

    public ExporterMetrics(string pbc, IChainSnapshotSource source, RpcCallStats calls, ByteCounters bytes, TimeProvider time, ILogger<ExporterMetrics>? logger = null)
    {
        _pbc = pbc;
        _source = source;
        _calls = calls;
        _bytes = bytes;
        _time = time;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);

        _queueDepth = f.CreateGauge("etrid_job_queue_depth", "Jobs by status (pending, assigned, completed, failed, disputed, cancelled); status=\"pending\" is the scaling signal." + AtFinalized, "pbc", "status");
        _avgWait = f.CreateGauge("etrid_avg_job_wait_seconds", "Mean wait of pending jobs so far and of jobs assigned within the window, in pallet seconds (block x 6)." + AtFinalized, "pbc");
        _avgDuration = f.CreateGauge("etrid_avg_job_duration_seconds", "Mean submit-to-completion time of jobs completed within the window, in pallet seconds; NaN when none completed." + AtFinalized, "pbc");
        _gpuCount = f.CreateGauge("etrid_gpus", "Registered GPUs by status (active, paused, offline, slashed)." + AtFinalized, "pbc", "status");
        _jobsPerGpu = f.CreateGauge("etrid_jobs_per_active_gpu", "Pending and processing jobs per Active GPU (0 without Active GPUs)." + AtFinalized, "pbc");
        _unattributed = f.CreateGauge("etrid_unattributed_completed_jobs", "Completed jobs whose GPU's provider is unknown (left out of per-provider series)." + AtFinalized, "pbc");
        _up = f.CreateGauge("etrid_chain_up", "1 when connected to a node and the figures are fresh, else 0.", "pbc");
        _bestBlock = f.CreateGauge("etrid_chain_best_block", "Best block number announced by the node.", "pbc");
        _finalizedBlock = f.CreateGauge("etrid_chain_finalized_block", "Finalized block number announced by the node.", "pbc");
        _processedBlock = f.CreateGauge("etrid_chain_snapshot_block", "Block the exported figures were taken at.", "pbc");
        _sinceFinalized = f.CreateGauge("etrid_chain_seconds_since_finalized_block", "Seconds since the node last announced a finalized block.", "pbc");
        _snapshotAge = f.CreateGauge("etrid_chain_snapshot_age_seconds", "Seconds since the exported figures were taken.", "pbc");
        _reconnects = f.CreateCounter("etrid_chain_reconnects_total", "Connections to nodes lost since start.", "pbc");
        _rpcRequests = f.CreateCounter("etrid_chain_rpc_requests_total", "JSON-RPC calls by method.", "method");
        _rpcErrors = f.CreateCounter("etrid_chain_rpc_errors_total", "Failed JSON-RPC calls by method.", "method");
        _rpcSeconds = f.CreateCounter("etrid_chain_rpc_duration_seconds_total", "Time spent in JSON-RPC calls by method.", "method");
        _rpcBytes = f.CreateCounter("etrid_chain_rpc_bytes_total", "Bytes over the node connections by direction (sent, received).", "direction");
        _drift = f.CreateCounter("etrid_chain_verification_drift_total", "Values the periodic full re-read found different from the incrementally kept state.", "pbc");
        _syncs = f.CreateCounter("etrid_chain_full_syncs_total", "Full syncs of the chain state (start-up, reconnects, upgrades, verification).", "pbc");
        _specVersion = f.CreateGauge("etrid_chain_spec_version", "Runtime spec version of the snapshot's block.", "pbc");
        _loopFailures = f.CreateCounter("etrid_chain_follower_failures_total", "Failures of the chain follower's loop (each logged and retried with backoff).", "pbc");
        _seriesResets = f.CreateCounter("etrid_exporter_provider_series_resets_total", "Per-provider series reset because the chain's own total went down (a re-org under finality: best).", "pbc");
        _endpointLag = f.CreateGauge("etrid_chain_endpoint_lag_blocks", "Blocks the connected node's finalized head is behind the kept state (a lagging or restarted node; the figures are kept); 0 when current.", "pbc");
        _endpointBelieved = f.CreateGauge("etrid_chain_endpoint_believed", "1 while the connected node behaves; 0 while it is refused (another genesis) or not believed after nonsense (implausible heads, stray replies, an oversized message).", "pbc");
        _endpointProblems = f.CreateCounter("etrid_chain_endpoint_problems_total", "Pieces of nonsense received from nodes and ignored (implausible heads and runtime versions, stray replies, oversized messages, refusals).", "pbc");
        _gcCommitted = f.CreateGauge("etrid_exporter_gc_committed_bytes", "Memory the .NET garbage collector has committed (live objects, free space and bookkeeping).");
        f.CreateGauge("etrid_exporter_build_info", "Build of the exporter; the value is always 1.", "version")
            .WithLabels(typeof(ExporterMetrics).Assembly.GetName().Version?.ToString() ?? "unknown").Set(1);

        // Process and runtime figures (resident memory, GC, threads) beside the chain's.
        DotNetStats.Register(Registry);

        // The scaling interfaces' self-metrics are System.Diagnostics.Metrics instruments: bridged into this registry.
        _meters = new MeterBridge(Registry);
    }

    /// <summary>
    /// The prometheus-net registry of every family except the per-provider ones (see <see cref="WriteAsync"/>,
    /// the exposition as a whole).
    /// </summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Writes the whole exposition in <paramref name="format"/>: brings the series up to date, then the
    /// per-provider families rendered from the exported snapshot, then the registry's families.
    /// </summary>
    public async Task WriteAsync(Stream destination, ExpositionFormat format = ExpositionFormat.PrometheusText, CancellationToken cancellationToken = default)
    {
        var exported = Update();
        await ProviderFamilies.WriteAsync(destination, exported?.Figures.Providers ?? [], format, cancellationToken).ConfigureAwait(false);
        await Registry.CollectAndExportAsTextAsync(destination, format, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops bridging the meters.</summary>
    public void Dispose() => _meters.Dispose();

    /// <summary>Brings every series up to date (runs at each scrape); returns the snapshot whose figures are exported.</summary>
    public ChainSnapshot? Update()
    {
        lock (_gate)
        {
            var snapshot = _source.Current;
            if (snapshot is not null && !ReferenceEquals(snapshot, _exported))
            {
                ExportFigures(snapshot);
                _exported = snapshot;
            }

            ExportLive(snapshot);
            return _exported;
        }
    }

    private void ExportFigures(ChainSnapshot snapshot)
    {
        var figures = snapshot.Figures;
        foreach (var (status, count) in figures.JobsByStatus)
        {
            _queueDepth.WithLabels(_pbc, StatusLabel(status)).Set(count);
        }

        _avgWait.WithLabels(_pbc).Set(figures.AverageWaitSeconds);
        _avgDuration.WithLabels(_pbc).Set(figures.AverageDurationSeconds);
        foreach (var (status, count) in figures.GpusByStatus)
        {
            _gpuCount.WithLabels(_pbc, status.ToString().ToLowerInvariant()).Set(count);
        }

        _jobsPerGpu.WithLabels(_pbc).Set(figures.JobsPerActiveGpu);
        _unattributed.WithLabels(_pbc).Set(figures.UnattributedJobs);
        _processedBlock.WithLabels(_pbc).Set(snapshot.BlockNumber);
        _specVersion.WithLabels(_pbc).Set(snapshot.SpecVersion);

        // The per-provider series are rendered from the snapshot at scrape time (ProviderFamilies); here only
        // a total that went down is noticed.
        var generation = ++_generation;
        foreach (var p in figures.Providers)
        {
            if (_providers.TryGetValue(p.Address, out var last) && (p.JobsCompleted < last.Completed || p.EarningsEdsc < last.Earnings))
            {
                // Within a process the chain's totals only grow; they shrink only when the followed head is
                // re-organised (finality: best). The series starts afresh at the lower value: Prometheus reads
                // that as a counter reset.
                LogSeriesReset(p.Address, last.Completed, p.JobsCompleted);
                _seriesResets.WithLabels(_pbc).Inc();
            }

            _providers[p.Address] = new ProviderTotals(p.JobsCompleted, p.EarningsEdsc, generation);
        }

        if (_providers.Count == figures.Providers.Count)
        {
            return;
        }

        // A provider that left forgets its totals: should it come back, its series start where its totals are.
        foreach (var gone in _providers.Where(p => p.Value.Generation != generation).Select(p => p.Key).ToList())
        {
            _providers.Remove(gone);
        }
    }

    private void ExportLive(ChainSnapshot? snapshot)
    {
        var now = _time.GetUtcNow();
        var health = _source.Health;
        _up.WithLabels(_pbc).Set(_source.Read().IsFresh ? 1 : 0);
        if (health.BestBlock is { } best)
        {
            _bestBlock.WithLabels(_pbc).Set(best);
        }

        if (health.FinalizedBlock is { } finalized)
        {
            _finalizedBlock.WithLabels(_pbc).Set(finalized);
        }

        if (health.LastFinalizedAt is { } last)
        {
            _sinceFinalized.WithLabels(_pbc).Set(Math.Max(0, (now - last).TotalSeconds));
        }

        if (snapshot is not null)
        {
            _snapshotAge.WithLabels(_pbc).Set(Math.Max(0, snapshot.Age(now).TotalSeconds));
        }

        _gcCommitted.Set(GC.GetGCMemoryInfo().TotalCommittedBytes);
        _reconnects.WithLabels(_pbc).IncTo(health.Reconnects);
        _drift.WithLabels(_pbc).IncTo(health.VerificationDrift);
        _syncs.WithLabels(_pbc).IncTo(health.FullSyncs);
        _loopFailures.WithLabels(_pbc).IncTo(health.LoopFailures);
        _endpointLag.WithLabels(_pbc).Set(health.EndpointLagBlocks);
        _endpointBelieved.WithLabels(_pbc).Set(health.EndpointProblem is null ? 1 : 0);
        _endpointProblems.WithLabels(_pbc).IncTo(health.EndpointProblems);
        foreach (var (method, stats) in _calls.Methods)
        {
            _rpcRequests.WithLabels(method).IncTo(stats.Calls);
            _rpcErrors.WithLabels(method).IncTo(stats.Failures);
            _rpcSeconds.WithLabels(method).IncTo(stats.TotalSeconds);
        }

        _rpcBytes.WithLabels("sent").IncTo(_bytes.Sent);
        _rpcBytes.WithLabels("received").IncTo(_bytes.Received);
    }

    private static string StatusLabel(JobStatus status) => status switch
    {
        JobStatus.Processing => "assigned",
        _ => status.ToString().ToLowerInvariant(),
    };

    private readonly record struct ProviderTotals(long Completed, double Earnings, long Generation);

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Provider {Provider}: completed jobs went from {Before} to {After} (a re-org of non-finalized blocks under finality: best); its series start afresh")]
    private partial void LogSeriesReset(string provider, double before, long after);
}
