using Etrid.Burst.Capacity;
using Etrid.Burst.Control;
using Etrid.Burst.Leadership;
using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;

namespace Etrid.Burst.Status;

/// <summary>
/// The controller's memory between ticks for the status and the metrics: the last status, the last
/// decisions (a bounded ring), and the running totals (ticks, decisions, preemptions, estimated cost).
/// Written by the controller's loop (and the leadership events); read at any time.
/// </summary>
public sealed class BurstStatusStore : IBurstStatusSource
{
    /// <summary>Decisions kept for the status.</summary>
    public const int DecisionCapacity = 50;

    /// <summary>Tick results, all present from the start so their series never vanish.</summary>
    public static readonly IReadOnlyList<string> TickResults = ["ok", "failed", "held"];

    private readonly Lock _lock = new();
    private readonly BurstOptions _options;
    private readonly IBurstLeadership? _leadership;
    private readonly LinkedList<BurstDecision> _decisions = new();
    private readonly Dictionary<string, long> _ticks = TickResults.ToDictionary(r => r, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<(string Action, string Reason), long> _decisionCounts = [];
    private readonly Dictionary<string, long> _preemptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _cost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _spendRate = new(StringComparer.Ordinal);
    private readonly HashSet<string> _preempting = new(StringComparer.Ordinal);
    private HashSet<(string? Pool, string Action, string Target, string Reason)> _plannedLastTick = [];
    private DateTimeOffset? _lastCostAt;
    private BurstStatus _current;

    /// <summary>A store for these options: disabled, or enabled and waiting for its first tick.</summary>
    /// <param name="options">The controller's options.</param>
    /// <param name="leadership">Read live for <c>leading</c> and <c>leader_identity</c>; null when disabled.</param>
    public BurstStatusStore(BurstOptions options, IBurstLeadership? leadership = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _leadership = leadership;
        foreach (var pool in options.PoolDetails)
        {
            _preemptions[pool.PoolName] = 0;
            _cost[pool.PoolName] = 0;
            _spendRate[pool.PoolName] = 0;
        }

        // The configured pools from the start, so per-pool series exist (at zero) before the first tick.
        _current = options.Enabled
            ? new BurstStatus
            {
                Enabled = true,
                DryRun = options.DryRun,
                BudgetUsdPerHour = options.MaxHourlySpendUsd,
                LocalGpus = options.LocalGpus,
                Gate = "starting",
                Pools = options.PoolDetails.Select(p => new BurstPoolStatus { Name = p.PoolName, InstanceType = p.InstanceType, LimitUsdPerGpuHour = p.LimitPricePerGpuHour }).ToList(),
            }
            : BurstStatus.Disabled with { DryRun = options.DryRun };
    }

    /// <inheritdoc />
    public BurstStatus Current => _leadership is { } l
        ? Volatile.Read(ref _current) with { Leading = l.IsLeading, LeaderIdentity = l.LeaderIdentity }
        : Volatile.Read(ref _current);

    /// <summary>Ticks by result.</summary>
    public IReadOnlyList<(string Result, long Count)> Ticks
    {
        get
        {
            lock (_lock)
            {
                return _ticks.Select(t => (t.Key, t.Value)).ToList();
            }
        }
    }

    /// <summary>Decisions by action and reason code.</summary>
    public IReadOnlyList<(string Action, string Reason, long Count)> DecisionCounts
    {
        get
        {
            lock (_lock)
            {
                return _decisionCounts.Select(d => (d.Key.Action, d.Key.Reason, d.Value)).ToList();
            }
        }
    }

    /// <summary>Bids seen entering <c>Preempting</c>, by pool (every pool present).</summary>
    public IReadOnlyList<(string Pool, long Count)> Preemptions
    {
        get
        {
            lock (_lock)
            {
                return _preemptions.Select(p => (p.Key, p.Value)).ToList();
            }
        }
    }

    /// <summary>Allocated instances × spot price in USD per hour as of the last tick, by pool.</summary>
    public IReadOnlyList<(string Pool, decimal UsdPerHour)> SpendRates
    {
        get
        {
            lock (_lock)
            {
                return _spendRate.Select(p => (p.Key, p.Value)).ToList();
            }
        }
    }

    /// <summary>Estimated cost so far in USD (allocated instance-hours × spot price), by pool (every pool present).</summary>
    public IReadOnlyList<(string Pool, decimal Usd)> Cost
    {
        get
        {
            lock (_lock)
            {
                return _cost.Select(p => (p.Key, p.Value)).ToList();
            }
        }
    }

    /// <summary>The start-up check (or the options) found problems: the controller stays idle and says why.</summary>
    public void ReportProblems(IReadOnlyList<string> problems)
    {
        lock (_lock)
        {
            Publish(_current with { Gate = "idle: the start-up check failed", Failures = problems });
        }
    }

    /// <summary>A tick that held before reaching the market (not leading, local capacity unknown).</summary>
    public void RecordHeld(DateTimeOffset at, string code, string reason, IReadOnlyList<string> failures)
    {
        lock (_lock)
        {
            _ticks[failures.Count > 0 ? "failed" : "held"]++;
            _plannedLastTick = [];
            AddDecision(new BurstDecision { At = at, Action = "hold", ReasonCode = code, Reason = reason });
            Publish(_current with { LastTick = at, Gate = reason, Failures = failures, Decisions = [.. _decisions] });
        }
    }

    /// <summary>A tick that failed unexpectedly.</summary>
    public void RecordFailed(DateTimeOffset at, string failure)
    {
        lock (_lock)
        {
            _ticks["failed"]++;
            Publish(_current with { LastTick = at, Failures = [failure] });
        }
    }

    /// <summary>A tick's report: pools, bids, decisions, totals.</summary>
    public void Record(TickReport report, LocalCapacity local)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(local);
        lock (_lock)
        {
            var now = report.At;

            // Left Riemann sum: the spend rate seen at the last tick held until this one.
            if (_lastCostAt is { } last && now > last)
            {
                var hours = (decimal)(now - last).TotalHours;
                foreach (var (pool, rate) in _spendRate)
                {
                    _cost[pool] = _cost.GetValueOrDefault(pool) + (rate * hours);
                }
            }

            _lastCostAt = now;
            var pools = report.Pools.Count > 0 ? report.Pools.Select(p => PoolStatus(p, now)).ToList() : _current.Pools.ToList();
            if (report.Pools.Count > 0)
            {
                _spendRate.Clear();
                foreach (var pool in report.Pools)
                {
                    var allocated = pool.Bids.Count(b => b.Status == BidStatus.Allocated);
                    _spendRate[pool.PoolName] = pool.SpotPriceCents is { } spot ? allocated * spot / 100m : 0m;
                    foreach (var bid in pool.Bids)
                    {
                        if (bid.Status == BidStatus.Preempting)
                        {
                            if (_preempting.Add(bid.Fid))
                            {
                                _preemptions[pool.PoolName] = _preemptions.GetValueOrDefault(pool.PoolName) + 1;
                            }
                        }
                        else
                        {
                            _preempting.Remove(bid.Fid);
                        }
                    }
                }
            }

            // A dry run changes nothing, so the same would-be actions come back every tick: each counts (and is
            // listed) once while the plan keeps it, by pool, action, bid (or the n-th create) and reason code.
            var planned = new HashSet<(string? Pool, string Action, string Target, string Reason)>();
            var creates = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (pool, action) in report.Actions)
            {
                var decision = new BurstDecision
                {
                    At = now,
                    Pool = pool,
                    Action = action.Kind.ToString().ToLowerInvariant(),
                    Bid = action.BidFid,
                    ReasonCode = action.ReasonCode ?? report.Gate.Code,
                    Reason = action.Reason,
                };
                var position = creates[pool] = creates.GetValueOrDefault(pool) + 1;
                var key = (pool, decision.Action, action.BidFid ?? $"new {position}", decision.ReasonCode);
                if (!report.DryRun || !_plannedLastTick.Contains(key))
                {
                    AddDecision(decision);
                }

                planned.Add(key);
            }

            _plannedLastTick = report.DryRun ? planned : [];

            foreach (var (pool, code, reason) in report.Holds)
            {
                AddDecision(new BurstDecision { At = now, Pool = pool, Action = "hold", ReasonCode = code, Reason = reason });
            }

            var tickHeld = report.Holds.Any(h => h.Pool is null && h.Code is ReasonCodes.StaleFigures or ReasonCodes.InitialDelay or ReasonCodes.Observing);
            _ticks[report.Failures.Count > 0 ? "failed" : tickHeld ? "held" : "ok"]++;
            Publish(_current with
            {
                LastTick = now,
                DryRun = report.DryRun,
                LocalGpus = local.Gpus,
                LocalCapacitySource = local.Source,
                DesiredGpus = report.DesiredGpus,
                CurrentGpus = report.CurrentGpus,
                Gate = report.Gate.Reason,
                CommittedUsdPerHour = report.Pools.Count > 0 ? report.Pools.SelectMany(p => p.Live).Sum(b => b.LimitCents) / 100m : _current.CommittedUsdPerHour,
                BudgetUsdPerHour = _options.MaxHourlySpendUsd,
                SpendRateUsdPerHour = _spendRate.Values.Sum(),
                CostUsdTotal = _cost.Values.Sum(),
                Pools = pools,
                Decisions = [.. _decisions],
                Failures = report.Failures,
            });
        }
    }

    private BurstPoolStatus PoolStatus(PoolInput pool, DateTimeOffset now)
    {
        var options = _options.PoolDetails.FirstOrDefault(p => p.PoolName == pool.PoolName);
        var gpus = Math.Max(1, pool.GpusPerNode);
        return new BurstPoolStatus
        {
            Name = pool.PoolName,
            InstanceType = options?.InstanceType ?? "",
            GpusPerNode = pool.GpusPerNode,
            SpotUsdPerGpuHour = pool.SpotPriceCents is { } spot ? Math.Round(spot / 100m / gpus, 4) : null,
            LimitUsdPerGpuHour = options?.LimitPricePerGpuHour ?? Math.Round(pool.LimitCents / 100m / gpus, 4),
            Skipped = pool.PricedOut ? "price above limit" : pool.BlockedReason(now, _options.AllocationTimeout),
            Bids = pool.Bids.Select(b => new BurstBidStatus
            {
                Fid = b.Fid,
                Name = b.Name,
                Status = b.Status.ToString(),
                Paused = b.Status == BidStatus.Paused,
                InstanceStatus = b.InstanceStatus,
                InstanceRunning = b.InstanceRunning,
                CreatedAt = b.CreatedAt,
            }).ToList(),
        };
    }

    private void AddDecision(BurstDecision decision)
    {
        var key = (decision.Action, decision.ReasonCode);
        _decisionCounts[key] = _decisionCounts.GetValueOrDefault(key) + 1;

        // A hold repeated tick after tick is one entry with the latest time, so holds do not push out the actions.
        if (decision.Action == "hold")
        {
            for (var node = _decisions.First; node is not null; node = node.Next)
            {
                if (node.Value is { Action: "hold" } previous && previous.Pool == decision.Pool && previous.ReasonCode == decision.ReasonCode && previous.Reason == decision.Reason)
                {
                    _decisions.Remove(node);
                    break;
                }
            }
        }

        _decisions.AddLast(decision);
        while (_decisions.Count > DecisionCapacity)
        {
            _decisions.RemoveFirst();
        }
    }

    private void Publish(BurstStatus status) => Volatile.Write(ref _current, status);
}
