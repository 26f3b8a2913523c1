using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Boot;
using Etrid.Burst.Capacity;
using Etrid.Burst.Control;
using Etrid.Burst.Leadership;
using Etrid.Burst.Market;
using Etrid.Burst.Naming;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.Burst.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Burst.Hosting;

/// <summary>
/// The burst controller as a hosted part, over one <see cref="ICapacityMarket"/>. Start-up never waits on it: it checks
/// the options and the market (section 9.7, every problem at once; on failure it reports and stays idle, checking again each
/// interval), takes part in the leader election, then ticks every <c>autoscaler_config.sync_loop_interval</c>
/// on the injected clock. Only the leader reconciles; the figures come from the snapshot seam alone.
/// </summary>
public sealed partial class BurstControllerService : BackgroundService
{
    private readonly BurstOptions _options;
    private readonly string _path;
    private readonly ICapacityMarket _market;
    private readonly IChainSnapshotSource _chain;
    private readonly ILocalCapacitySource _capacity;
    private readonly IBurstLeadership _leadership;
    private readonly BurstStatusStore _store;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;
    private readonly string _agentVersion;
    private readonly Random _random;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private bool _lostLead;

    /// <summary>The controller's parts, composed by <see cref="BurstControllerServiceCollectionExtensions.AddBurstController"/>.</summary>
    public BurstControllerService(
        BurstOptions options,
        string path,
        ICapacityMarket market,
        IChainSnapshotSource chain,
        ILocalCapacitySource capacity,
        IBurstLeadership leadership,
        BurstStatusStore store,
        TimeProvider time,
        Func<string, string?> environment,
        string agentVersion,
        Random random,
        ILoggerFactory? loggers = null)
    {
        _options = options;
        _path = path;
        _market = market;
        _chain = chain;
        _capacity = capacity;
        _leadership = leadership;
        _store = store;
        _time = time;
        _environment = environment;
        _agentVersion = agentVersion;
        _random = random;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<BurstControllerService>();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Out of the host's start-up path: everything below may wait on the network.
        await Task.Yield();
        var interval = _options.AutoscalerConfig.SyncLoopInterval;
        var problems = _options.Validate(_path, _environment).ToList();
        if (problems.Count > 0)
        {
            // The options will not change while running: report and stay idle.
            Report(problems);
            return;
        }

        var election = _leadership.RunAsync(stoppingToken);
        try
        {
            var reconciler = await StartAsync(interval, stoppingToken).ConfigureAwait(false);
            LogStarted(_options.PoolDetails.Count, interval, _options.DryRun, _leadership.Identity);
            using var timer = new PeriodicTimer(interval, _time);
            do
            {
                await TickAsync(reconciler, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await election.ConfigureAwait(false);
        }
    }

    // Checks the market until it passes (an unreachable API at boot must not disable bursting for good).
    private async Task<BurstReconciler> StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var boot = _options.PoolDetails.Select(p => BootInput(p, "x")).ToList();
        while (true)
        {
            var report = await _market.CheckAsync(_options.PoolDetails, _path, cancellationToken).ConfigureAwait(false);
            var problems = report.Problems.Concat(boot.SelectMany(b => BootScript.Validate(b, _path))).ToList();
            if (!_market.Capabilities.SupportsPause && _options.MaxSuspendedBids > 0)
            {
                problems.Add($"{_path}.max_suspended_bids: this market cannot pause bids; set 0 (every release then cancels)");
            }

            foreach (var warning in report.Warnings)
            {
                LogStartupWarning(warning);
            }

            if (problems.Count == 0)
            {
                var template = BootScript.TemplateSha256(boot.Count > 0 ? boot[0] with { Pool = "" } : BootInput(new PoolOptions(), "x"));
                return new BurstReconciler(
                    _options,
                    _market,
                    report.GpusByInstanceType,
                    _agentVersion,
                    template,
                    RenderBootScript,
                    _random,
                    _time,
                    _loggers.CreateLogger<BurstReconciler>());
            }

            Report(problems);
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TickAsync(BurstReconciler reconciler, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            if (!_leadership.IsLeading)
            {
                _lostLead = true;
                _store.RecordHeld(now, ReasonCodes.NotLeader, $"hold: not leading (leader: {_leadership.LeaderIdentity ?? "unknown"})", []);
                return;
            }

            if (_lostLead)
            {
                // A new term: what the last one remembered may be stale (another replica may have acted meanwhile).
                _lostLead = false;
                reconciler.BeginTerm();
            }

            LocalCapacity local;
            try
            {
                local = await _capacity.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogCapacityFailed(e.GetType().Name, e.Message);
                _store.RecordHeld(now, ReasonCodes.LocalCapacityUnknown, "hold: local capacity unknown", [$"local capacity: {e.GetType().Name}: {e.Message}"]);
                return;
            }

            var reading = _chain.Read();
            var figures = reading.Snapshot?.Figures;
            var fresh = reading.IsFresh && figures is not null;
            var waitThreshold = _options.WaitThreshold;
            var input = new BurstTickInput
            {
                PendingJobs = figures is null ? 0 : figures.Pending + (_options.DemandIncludesRunning ? figures.JobsByStatus.GetValueOrDefault(JobStatus.Processing) : 0),
                LocalGpus = local.Gpus,
                Fresh = fresh,
                Urgent = fresh && waitThreshold > TimeSpan.Zero && local.Exhausted && figures!.AverageWaitSeconds > waitThreshold.TotalSeconds,
                OldestWaitSeconds = figures?.PendingQueue.OldestWaitSeconds,
                PaysAtSpot = _options.EconomicGuard.Enabled && figures is not null ? Guard(figures.PendingQueue) : null,
            };
            var report = await reconciler.TickAsync(input, cancellationToken).ConfigureAwait(false);
            if (!fresh)
            {
                LogStale(reading.Reason);
            }

            _store.Record(report, local);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One failed tick must not end the loop: the next tick starts over from the listing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogTickFailed(e.GetType().Name, e.Message);
            _store.RecordFailed(now, $"tick: {e.GetType().Name}: {e.Message}");
        }
    }

    private Func<decimal, bool> Guard(PendingQueueFigures queue)
    {
        var guard = _options.EconomicGuard;
        var paymentEdsc = (decimal)Balance.ToTokens(queue.TotalPaymentPlanck, guard.TokenDecimals);
        var seconds = (long)Math.Min(queue.TotalMaxComputeSeconds, long.MaxValue);
        return spot => Demand.PaysForBurst(paymentEdsc, seconds, guard.PlatformFeeBps, guard.EdscUsdRate, guard.Margin, spot);
    }

    private string RenderBootScript(string bidName)
    {
        // The pool that owns the name (its exact base, as the reconciler decides ownership): a prefix test would
        // give pool a's boot script to the bids of pool a-b.
        var pool = _options.PoolDetails.FirstOrDefault(p => BidNaming.IsOwned(bidName, BidNaming.BaseFor(p.PoolName))) ?? _options.PoolDetails[0];
        return BootScript.Render(BootInput(pool, bidName));
    }

    private BootScriptInput BootInput(PoolOptions pool, string nodeName) => new()
    {
        NodeName = nodeName,
        Pool = pool.PoolName,
        ControllerAddress = _options.ControllerAddress,
        AgentVersion = _options.AgentVersionOverride ?? _agentVersion,
        AgentDownloadUrl = _options.AgentDownloadUrl,
        TailscaleAuthKey = _options.TailscaleConfig?.PreAuthKey is { Length: > 0 } key ? key : null,
        TailscaleServer = _options.TailscaleConfig?.Server,
        UserScript = _options.StartupScript,
    };

    private void Report(IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            LogStartupProblem(problem);
        }

        _store.ReportProblems(problems);
    }

    [LoggerMessage(EventId = 643, Level = LogLevel.Information, Message = "Burst controller started: {Pools} pool(s), tick every {Interval}, dry run {DryRun}, identity {Identity}")]
    private partial void LogStarted(int pools, TimeSpan interval, bool dryRun, string identity);

    [LoggerMessage(EventId = 644, Level = LogLevel.Error, Message = "Burst controller idle: {Problem}")]
    private partial void LogStartupProblem(string problem);

    [LoggerMessage(EventId = 645, Level = LogLevel.Warning, Message = "Burst controller start-up: {Warning}")]
    private partial void LogStartupWarning(string warning);

    [LoggerMessage(EventId = 646, Level = LogLevel.Warning, Message = "Burst controller holds: local capacity unknown ({Type}: {Error})")]
    private partial void LogCapacityFailed(string type, string error);

    [LoggerMessage(EventId = 647, Level = LogLevel.Information, Message = "Burst controller holds: chain figures not fresh ({Reason})")]
    private partial void LogStale(string reason);

    [LoggerMessage(EventId = 648, Level = LogLevel.Error, Message = "Burst controller tick failed ({Type}: {Error})")]
    private partial void LogTickFailed(string type, string error);
}
