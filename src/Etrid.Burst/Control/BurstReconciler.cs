using Etrid.Burst.Market;
using Etrid.Burst.Naming;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.Burst.Pricing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Burst.Control;

/// <summary>
/// One level-triggered reconcile per tick (section 9.2) against one <see cref="ICapacityMarket"/>: list each pool's owned bids and their nodes,
/// decide with the pure policy (gate → pools in order → plan), then act. Every action is safe to repeat;
/// a failed create or resume backs the pool off for <c>scale_up_error_retry_delay</c>. Leader election and
/// the loop that calls <see cref="TickAsync"/> belong to the host.
/// </summary>
public sealed partial class BurstReconciler
{
    private readonly BurstOptions _options;
    private readonly ICapacityMarket _market;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Func<string, string> _bootScript;
    private readonly List<PoolRuntime> _pools;
    private DateTimeOffset _termStartedAt;
    private GateState _gate = GateState.Initial;
    private Move? _move;

    /// <param name="gpusByInstanceType">From the start-up check (<see cref="Startup.StartupReport.GpusByInstanceType"/>).</param>
    /// <param name="agentVersion">Worker version the nodes install (hashed).</param>
    /// <param name="bootTemplateSha256">SHA-256 of the boot-script template (hashed).</param>
    /// <param name="bootScript">Renders the boot script for a bid name.</param>
    public BurstReconciler(
        BurstOptions options,
        ICapacityMarket market,
        IReadOnlyDictionary<string, int> gpusByInstanceType,
        string agentVersion,
        string bootTemplateSha256,
        Func<string, string> bootScript,
        Random random,
        TimeProvider? timeProvider = null,
        ILogger<BurstReconciler>? logger = null)
    {
        _options = options;
        _market = market;
        _time = timeProvider ?? TimeProvider.System;
        _random = random;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _bootScript = bootScript;
        _termStartedAt = _time.GetUtcNow();
        _pools = options.PoolDetails.Select(p =>
        {
            var gpus = gpusByInstanceType[p.InstanceType];
            var limit = GpuHourPrice.InstanceLimitCents(p.LimitPricePerGpuHour, gpus);
            var baseName = BidNaming.BaseFor(p.PoolName);
            var hash = BidNaming.Hash8(new BidConfiguration
            {
                Pool = p.PoolName,
                Project = market.Placement.Account,
                Region = market.Placement.Region,
                InstanceType = p.InstanceType,
                LimitCents = limit,
                SshKeys = market.Placement.AccessKeys,
                AgentVersion = options.AgentVersionOverride ?? agentVersion,
                MemoryGb = p.MemoryGb,
                BootTemplateSha256 = bootTemplateSha256,
            });
            return new PoolRuntime(p, options.AutoscalerFor(p), gpus, limit, baseName, hash, new BidTracker(baseName));
        }).ToList();
    }

    /// <summary>The gate's memory (for status pages).</summary>
    public GateState Gate => _gate;

    /// <summary>
    /// How long after a start or a leadership change nothing that moves capacity is done: one full
    /// <c>scale_up_after</c> (or <c>initial_delay</c> when longer) of observing the market and the queue afresh.
    /// </summary>
    public TimeSpan SettleTime => _options.ScaleUpAfter > FirstAutoscaler.InitialDelay ? _options.ScaleUpAfter : FirstAutoscaler.InitialDelay;

    // A market that cannot pause keeps no paused bids: every release cancels.
    private int MaxSuspendedBids => _market.Capabilities.SupportsPause ? _options.MaxSuspendedBids : 0;

    private AutoscalerOptions FirstAutoscaler => _pools.Count > 0 ? _pools[0].Autoscaler : _options.AutoscalerConfig;

    /// <summary>
    /// Starts a new leadership term: what an earlier term remembered (the gate's timers, how long nodes have run)
    /// is forgotten, so this term adopts the bids it finds, observes for <see cref="SettleTime"/>, and releases
    /// nothing it has not itself seen run for <c>scale_down_after</c>.
    /// </summary>
    public void BeginTerm()
    {
        _termStartedAt = _time.GetUtcNow();
        _gate = GateState.Initial;
        _move = null;
        foreach (var pool in _pools)
        {
            pool.Tracker.Forget();
        }
    }

    /// <summary>Observes, decides and (unless dry-run) acts once.</summary>
    public async Task<TickReport> TickAsync(BurstTickInput input, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var failures = new List<string>();
        var inputs = new List<PoolInput>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in _pools)
        {
            try
            {
                inputs.Add(await ObserveAsync(pool, names, cancellationToken).ConfigureAwait(false));
            }
            catch (CapacityMarketException e)
            {
                // Without a listing nothing about this pool is known: hold the whole tick.
                failures.Add($"{pool.Options.PoolName}: listing failed ({e.Message})");
                LogObserveFailed(pool.Options.PoolName, e.Message);
                return new TickReport(now, new GateDecision(0, "hold: a pool could not be listed", _gate) { Code = ReasonCodes.ListingFailed }, [], [], [], failures, _options.DryRun)
                {
                    Holds = [(pool.Options.PoolName, ReasonCodes.ListingFailed, "hold: the pool could not be listed")],
                };
            }
        }

        if (_move is { } moving)
        {
            // The replacement of a move in flight is not capacity until the node it replaces is gone.
            inputs[moving.ToPool] = inputs[moving.ToPool] with { Replacements = new HashSet<string>([moving.NewName], StringComparer.Ordinal) };
        }

        var timeout = _options.AllocationTimeout;
        var planner = new PlannerSettings { MaxSuspendedBids = MaxSuspendedBids, AllocationTimeout = timeout, MinimumRun = _options.ScaleDownAfter };
        var current = inputs.Sum(p => (long)p.Covering(now, timeout).Count() * p.GpusPerNode);
        var step = inputs.LastOrDefault(p => p.Covering(now, timeout).Any())?.GpusPerNode ?? inputs.FirstOrDefault()?.GpusPerNode ?? 1;
        var first = FirstAutoscaler;

        // min_idle_agents keeps spare nodes ready beyond the demand, as the reference does.
        var wait = WaitAwareDemand.BurstGpus(input.PendingJobs, input.LocalGpus, input.OldestWaitSeconds, new WaitAwareSettings
        {
            TargetJobsPerGpu = _options.TargetJobsPerGpu,
            UrgentJobsPerGpu = _options.UrgentJobsPerGpu,
            WaitThreshold = _options.WaitThreshold,
            WaitLead = _options.WaitLead,
            ReleaseBelowWait = _options.ReleaseBelowWait,
            ReleaseJobsPerGpu = _options.ReleaseJobsPerGpu,
        });
        var demand = wait.Gpus;
        var holds = new List<(string? Pool, string Code, string Reason)>();
        var economic = input.Economic;
        if (economic && demand > 0 && input.PaysAtSpot is { } pays)
        {
            // The burst would go to the cheapest pool that may take it; without a price nothing is known to pay.
            var spot = inputs.Where(p => p.SpotPriceCents is not null && !p.PricedOut).Select(p => p.SpotPriceCents!.Value / 100m / Math.Max(1, p.GpusPerNode)).DefaultIfEmpty(-1m).Min();
            economic = spot >= 0 && pays(spot);
            if (!economic)
            {
                holds.Add((null, ReasonCodes.EconomicGuard, spot >= 0 ? $"hold: the queue does not pay the spot price of {spot:F2} $/GPU-h with the margin" : "hold: no usable spot price to weigh the queue against"));
            }
        }

        var desired = (economic ? demand : 0) + (long)first.MinIdleAgents * step;
        if (economic && wait.HoldsCapacity)
        {
            // Jobs have waited long: every GPU is busy, so a surplus by the queue rule is not one.
            desired = Math.Max(desired, current);
        }

        if (economic && wait.KeepGpus > desired)
        {
            // The release band: what the queue still needs at release_jobs_per_gpu is not a surplus.
            desired = Math.Max(desired, Math.Min(current, wait.KeepGpus));
        }

        var decision = ScaleGate.Decide(
            new GateInput { DesiredGpus = desired, CurrentGpus = current, StepGpus = step, Fresh = input.Fresh, Urgent = input.Urgent, Due = wait.Due },
            _gate,
            now,
            new GateSettings { ScaleUpAfter = _options.ScaleUpAfter, ScaleDownAfter = _options.ScaleDownAfter, IdleDecay = first.IdleDecay, MaxIdleAgents = first.MaxIdleAgents });
        _gate = decision.State;
        if (!input.Fresh)
        {
            return new TickReport(now, decision, [], [], [decision.Reason], failures, _options.DryRun)
            {
                Pools = inputs,
                Holds = [(null, ReasonCodes.StaleFigures, decision.Reason)],
                DesiredGpus = desired,
                CurrentGpus = current,
            };
        }

        if (now - _termStartedAt < SettleTime)
        {
            var (code, why) = first.InitialDelay >= _options.ScaleUpAfter
                ? (ReasonCodes.InitialDelay, "hold: initial_delay")
                : (ReasonCodes.Observing, $"hold: observing for scale_up_after ({_options.ScaleUpAfter.TotalSeconds:F0} s) after start or a leadership change");
            return new TickReport(now, decision with { TargetGpus = current, Reason = why, Code = code }, [], [], [why], failures, _options.DryRun)
            {
                Pools = inputs,
                Holds = [(null, code, why)],
                DesiredGpus = desired,
                CurrentGpus = current,
            };
        }

        // Hold and wait move nothing, in any pool; only a scale-up adds and only a scale-down releases.
        var mode = decision.TargetGpus > current ? DistributionMode.Grow
            : decision.TargetGpus < current ? DistributionMode.Shrink
            : decision.Code == ReasonCodes.Steady ? DistributionMode.Steady
            : DistributionMode.Keep;
        var targets = PoolDistributor.Distribute(decision.TargetGpus, mode, desired > current, inputs, now, planner);
        var budget = Budget.LeftCents(_options.MaxHourlySpendUsd, inputs);

        // Growth while bids are being preempted replaces lost capacity: say so rather than "breach".
        var preempting = inputs.Any(p => p.Bids.Any(b => b.Status == BidStatus.Preempting));
        var done = new List<(string, BidAction)>();
        var notes = new List<string> { decision.Reason };
        for (var i = 0; i < _pools.Count; i++)
        {
            var pool = _pools[i];
            var plan = PoolPlanner.Plan(inputs[i], targets[i], now, planner, budget is < 0 ? 0 : budget);
            budget = plan.BudgetLeftCents;
            notes.AddRange(plan.Notes);
            holds.AddRange(plan.Holds.Select(h => ((string?)pool.Options.PoolName, h.Code, h.Reason)));
            if (targets[i] is { BlockedReason: { } blocked, AskedToGrow: true } && plan.Holds.Count == 0)
            {
                // Demand reached a pool that may not grow: it is skipped and the rest falls to the next pool.
                holds.Add((pool.Options.PoolName, inputs[i].BlockedCode(now, timeout) ?? ReasonCodes.Backoff, $"{pool.Options.PoolName}: skipped: {blocked}"));
            }

            foreach (var planned in plan.Actions)
            {
                var code = planned.ReasonCode ?? (preempting && planned.Kind is BidActionKind.Create or BidActionKind.Resume ? ReasonCodes.Preempted : decision.Code);
                await ActLoggedAsync(pool, planned with { ReasonCode = code }, names, done, failures, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_options.RebalanceMinSavingUsd is { } threshold)
        {
            await RebalanceAsync(inputs, mode, now, planner, budget, threshold, names, done, notes, failures, cancellationToken).ConfigureAwait(false);
        }

        return new TickReport(now, decision, targets, done, notes, failures, _options.DryRun)
        {
            Pools = inputs,
            Holds = holds,
            DesiredGpus = desired,
            CurrentGpus = current,
        };
    }

    private async Task<PoolInput> ObserveAsync(PoolRuntime pool, HashSet<string> names, CancellationToken cancellationToken)
    {
        var listing = await _market.ListBidsAsync(pool.Options.InstanceType, cancellationToken).ConfigureAwait(false);
        names.UnionWith(listing.Select(b => b.Name));
        var allocated = listing.Where(b => b.Status == BidStatus.Allocated && BidNaming.IsOwned(b.Name, pool.BaseName)).Select(b => b.Id).ToList();
        var instances = allocated.Count == 0 ? [] : await _market.ListNodesAsync(allocated, cancellationToken).ConfigureAwait(false);
        var observedAt = _time.GetUtcNow();
        long? spot = null;
        try
        {
            spot = await _market.GetSpotPriceCentsAsync(pool.Options.InstanceType, cancellationToken).ConfigureAwait(false);
        }
        catch (CapacityMarketException e)
        {
            LogObserveFailed(pool.Options.PoolName, "price: " + e.Message);
        }

        return new PoolInput
        {
            PoolName = pool.Options.PoolName,
            GpusPerNode = pool.Gpus,
            LimitCents = pool.LimitCents,
            SpotPriceCents = spot,
            BackoffUntil = pool.BackoffUntil,
            MaxAgents = pool.Autoscaler.MaxAgents,
            MinAgents = pool.Autoscaler.MinAgents,
            KillUnknownAfter = pool.Autoscaler.KillUnknownAfter,
            // Stamped when the listing answered, not when the tick began: a node is never said to run before it was seen running.
            Bids = pool.Tracker.Observe(listing, instances, pool.Hash8, observedAt),
        };
    }

    /// <summary>
    /// Make-before-break moves, one at a time and only while capacity is settled: a replacement is placed in the
    /// cheaper pool; once its instance runs, the node it replaces is released. A move whose replacement or old node
    /// disappears, stops winning or dies is dropped (what is left is ordinary capacity under the usual rules); while
    /// the replacement's pool is priced out its preemption is due, so the old node is kept.
    /// </summary>
    private async Task RebalanceAsync(List<PoolInput> inputs, DistributionMode mode, DateTimeOffset now, PlannerSettings planner, long? budget, decimal threshold, HashSet<string> names, List<(string, BidAction)> done, List<string> notes, List<string> failures, CancellationToken cancellationToken)
    {
        var touched = done.Select(d => d.Item2.BidFid).Where(f => f is not null).ToHashSet(StringComparer.Ordinal);

        // Steady, or a scale-down that found no whole node to give back: capacity is where the demand wants it.
        var settled = mode == DistributionMode.Steady || (mode == DistributionMode.Shrink && done.Count == 0);
        if (_move is { } move)
        {
            var replacement = inputs[move.ToPool].Bids.FirstOrDefault(b => b.Name == move.NewName);
            var old = inputs[move.FromPool].Bids.FirstOrDefault(b => b.Fid == move.OldFid && b.Status == BidStatus.Allocated);
            var lost = replacement is null || old is null || touched.Contains(old.Fid)
                || inputs[move.ToPool].NotWinning(now, planner.AllocationTimeout).Concat(inputs[move.ToPool].Dead(now)).Any(b => b.Fid == replacement.Fid);
            if (lost)
            {
                _move = null;
                notes.Add("rebalance: move dropped (its replacement or the node it replaces is gone, not winning or dead)");
            }
            else if (settled && replacement!.InstanceRunning && !inputs[move.ToPool].PricedOut
                && old!.InstanceRunning && PoolInput.MayRelease(old, now, planner.MinimumRun)
                && !done.Any(d => d.Item2.Kind is BidActionKind.Create or BidActionKind.Resume))
            {
                var from = _pools[move.FromPool];
                var paused = inputs[move.FromPool].Bids.Count(b => b.Status == BidStatus.Paused && b.IsCurrent);
                var action = new BidAction(paused < MaxSuspendedBids && old!.IsCurrent ? BidActionKind.Pause : BidActionKind.Cancel, old!.Fid, $"rebalance: replaced by {move.NewName}, which runs") { ReasonCode = ReasonCodes.Rebalance };
                _move = null;
                await ActLoggedAsync(from, action, names, done, failures, now, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!settled || done.Count > 0 || Rebalancer.Choose(inputs, now, planner, budget is < 0 ? 0 : budget, threshold) is not { } choice)
        {
            return;
        }

        var to = _pools[choice.ToPool];
        var create = new BidAction(BidActionKind.Create, null, $"rebalance: replaces {choice.OldBidFid} of {_pools[choice.FromPool].Options.PoolName}, saving ${choice.SavingUsd:F2} over scale_down_after") { ReasonCode = ReasonCodes.Rebalance };
        var name = await ActLoggedAsync(to, create, names, done, failures, now, cancellationToken).ConfigureAwait(false);
        if (name is not null)
        {
            _move = new Move(choice.FromPool, choice.OldBidFid, choice.ToPool, name);
        }
    }

    /// <summary>Logs and records an action, then (unless dry-run) carries it out; a failed create or resume backs the pool off.</summary>
    private async Task<string?> ActLoggedAsync(PoolRuntime pool, BidAction action, HashSet<string> names, List<(string, BidAction)> done, List<string> failures, DateTimeOffset now, CancellationToken cancellationToken)
    {
        LogDecision(pool.Options.PoolName, action.Kind, action.BidFid ?? "(new)", action.Reason, _options.DryRun);
        done.Add((pool.Options.PoolName, action));
        if (_options.DryRun)
        {
            return null;
        }

        try
        {
            return await ActAsync(pool, action, names, cancellationToken).ConfigureAwait(false);
        }
        catch (CapacityMarketException e)
        {
            failures.Add($"{pool.Options.PoolName}: {action.Kind} failed ({e.Message})");
            LogActionFailed(pool.Options.PoolName, action.Kind, e.Message);
            if (action.Kind is BidActionKind.Create or BidActionKind.Resume)
            {
                pool.BackoffUntil = now + pool.Autoscaler.ScaleUpErrorRetryDelay;
            }

            return null;
        }
    }

    /// <summary>Carries out one action; returns the name of a created bid.</summary>
    private async Task<string?> ActAsync(PoolRuntime pool, BidAction action, HashSet<string> names, CancellationToken cancellationToken)
    {
        switch (action.Kind)
        {
            case BidActionKind.Create:
                var name = BidNaming.NewName(pool.BaseName, pool.Hash8, _random, names);
                names.Add(name);
                await _market.CreateBidAsync(new MarketBidRequest
                {
                    InstanceType = pool.Options.InstanceType,
                    LimitCents = pool.LimitCents,
                    Name = name,
                    StartupScript = _bootScript(name),
                    MemoryGb = pool.Options.MemoryGb,
                }, cancellationToken).ConfigureAwait(false);
                return name;
            case BidActionKind.Resume:
                await _market.ResumeBidAsync(action.BidFid!, cancellationToken).ConfigureAwait(false);
                break;
            case BidActionKind.Pause:
                await _market.PauseBidAsync(action.BidFid!, cancellationToken).ConfigureAwait(false);
                break;
            case BidActionKind.Cancel:
                await _market.CancelBidAsync(action.BidFid!, cancellationToken).ConfigureAwait(false);
                break;
        }

        return null;
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Burst pool {Pool}: {Kind} {Bid}: {Reason} (dry run: {DryRun})")]
    private partial void LogDecision(string pool, BidActionKind kind, string bid, string reason, bool dryRun);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "Burst pool {Pool}: {Kind} failed: {Error}")]
    private partial void LogActionFailed(string pool, BidActionKind kind, string error);

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "Burst pool {Pool}: observing failed: {Error}")]
    private partial void LogObserveFailed(string pool, string error);

    private sealed record Move(int FromPool, string OldFid, int ToPool, string NewName);

    private sealed class PoolRuntime(PoolOptions options, AutoscalerOptions autoscaler, int gpus, long limitCents, string baseName, string hash8, BidTracker tracker)
    {
        public PoolOptions Options { get; } = options;

        public AutoscalerOptions Autoscaler { get; } = autoscaler;

        public int Gpus { get; } = gpus;

        public long LimitCents { get; } = limitCents;

        public string BaseName { get; } = baseName;

        public string Hash8 { get; } = hash8;

        public BidTracker Tracker { get; } = tracker;

        public DateTimeOffset? BackoffUntil { get; set; }
    }
}
