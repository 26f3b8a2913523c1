using System.Collections.Concurrent;
using Etrid.Burst.Control;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.DevMarket.Market;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;

namespace Etrid.Mithril.Tests.Invariants;

/// <summary>
/// The rules, checked from the market's own books before and after each tick (the controller's arithmetic is not
/// reused): what changed in the market during a tick is the controller's doing, since only it acts there.
/// <list type="bullet">
/// <item>No two bids share a name; live bids' limits never exceed the budget.</item>
/// <item>While the gate holds or waits, nothing that changes capacity happens, in any pool.</item>
/// <item>No running node is released while demand is at or above the capacity held, nor so that less than the
/// demand is left (a move between pools is make-before-break).</item>
/// <item>No tick both adds capacity and releases running capacity.</item>
/// <item>After a start: nothing that changes capacity for <c>scale_up_after</c>, no release for <c>scale_down_after</c>.</item>
/// <item>A running node is released only after running <c>scale_down_after</c> (so never created or resumed and
/// released within <c>scale_down_after</c> plus its boot); no pause → resume → pause within <c>scale_down_after</c>.</item>
/// <item>Every bid in the market is in the controller's observation of that tick (when it observed).</item>
/// <item>No pool holds more live bids than its <c>max_agents</c>; no pool releases running capacity below its
/// <c>min_agents</c>.</item>
/// <item>A dry run, or a tick on stale figures, changes nothing in the market.</item>
/// <item>Demand is the queue rule, at <c>urgent_jobs_per_gpu</c> once the oldest pending job is due; while the oldest
/// pending job has waited <c>release_below_wait</c>, no running capacity is released but by a make-before-break move;
/// while the queue at <c>release_jobs_per_gpu</c> needs the capacity held, none of it is released either.</item>
/// </list>
/// </summary>
public sealed class BurstOracle(BurstDay day, MithrilAutoOptions options, IReadOnlyDictionary<string, int> gpusByType)
{
    private static readonly HashSet<string> HoldingCodes = [ReasonCodes.Waiting, ReasonCodes.Observing, ReasonCodes.InitialDelay, ReasonCodes.StaleFigures, ReasonCodes.ListingFailed];

    private readonly Dictionary<string, DateTimeOffset> _runningSince = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<InstanceRunningChange> _changes = new();
    private readonly Dictionary<string, DateTimeOffset> _lastPause = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resumedSincePause = new(StringComparer.Ordinal);
    private Dictionary<string, Bid> _before = [];
    private HashSet<string> _runningBefore = [];
    private DateTimeOffset _startedAt;
    private int _tick;
    private string _context = "";
    private long _demandGpus;
    private bool _holding;
    private long _keepGpus;
    private bool _stale;

    /// <summary>The wait threshold of every day (the wait-aware rule's <c>wait_lead</c> counts back from it).</summary>
    public static TimeSpan WaitThreshold { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the controller in charge runs in dry run.</summary>
    public bool DryRun { get; private set; }

    /// <summary>The market's own word that an instance entered or left <c>STATUS_RUNNING</c>, at the exact time.</summary>
    public void Observe(InstanceRunningChange change) => _changes.Enqueue(change);

    /// <summary>A controller (re)started, or began a new leadership term, at this time.</summary>
    public void Started(DateTimeOffset at, bool dryRun)
    {
        _startedAt = at;
        DryRun = dryRun;
    }

    /// <summary>The books before tick <paramref name="index"/>.</summary>
    public void Before(int index, IReadOnlyList<Bid> bids, IReadOnlyList<Instance> instances, BurstDayTick tick)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(tick);
        _tick = index;
        _before = bids.ToDictionary(b => b.Fid, StringComparer.Ordinal);
        _runningBefore = instances.Where(i => i.Status == InstanceStatus.Running && i.Bid is not null).Select(i => i.Bid!).ToHashSet(StringComparer.Ordinal);
        while (_changes.TryDequeue(out var change))
        {
            if (change.Running)
            {
                _runningSince[change.BidFid] = change.At;
            }
            else
            {
                _runningSince.Remove(change.BidFid);
            }
        }

        // The queue rule in whole jobs a GPU (integers keep the oracle's arithmetic apart from the controller's).
        static long Gpus(long jobs, int perGpu) => jobs <= 0 ? 0 : (jobs + perGpu - 1) / perGpu;
        var waited = tick.Pending > 0 ? tick.OldestWait : 0;
        var due = day.UrgentJobsPerGpu > 0 && waited >= WaitThreshold.TotalSeconds - day.WaitLeadSeconds;
        _demandGpus = Math.Max(Gpus(tick.Pending, day.TargetJobsPerGpu), due ? Gpus(tick.Pending, day.UrgentJobsPerGpu) : 0);
        _holding = tick.Pending > 0 && day.ReleaseBelowWaitSeconds >= 0 && waited >= day.ReleaseBelowWaitSeconds;
        _keepGpus = day.ReleaseJobsPerGpu > 0 ? Gpus(tick.Pending, day.ReleaseJobsPerGpu) : 0;
        _stale = tick.Stale;
    }

    /// <summary>The books after the tick, with what the controller reported; throws at the first broken rule.</summary>
    public void After(TickReport report, IReadOnlyList<Bid> bids)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(bids);
        var now = report.At;
        _context = $" [gate: {report.Gate.Reason}; actions: {string.Join("; ", report.Actions.Select(a => $"{a.Pool} {a.Action.Kind} {a.Action.BidFid} ({a.Action.ReasonCode}: {a.Action.Reason})"))}; failures: {string.Join("; ", report.Failures)}]";
        var scaleUpAfter = options.ScaleUpAfter;
        var scaleDownAfter = options.ScaleDownAfter;

        var names = bids.GroupBy(b => b.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Check(names.Count == 0, $"duplicate bid names: {string.Join(", ", names)}");

        var committed = bids.Where(Live).Sum(b => b.LimitPriceCents ?? 0);
        Check(day.BudgetUsd == 0 || committed <= day.BudgetUsd * 100L, $"live bids commit {committed} ¢/h over the budget of ${day.BudgetUsd}");

        if (report.Pools.Count == options.PoolDetails.Count)
        {
            var known = report.Pools.SelectMany(p => p.Bids).Select(b => b.Fid).ToHashSet(StringComparer.Ordinal);
            var unknown = _before.Values.Where(b => b.Status != BidStatus.Terminated && !known.Contains(b.Fid)).Select(b => b.Name).ToList();
            Check(unknown.Count == 0, $"bids in the market the controller did not observe: {string.Join(", ", unknown)}");
        }

        var after = bids.ToDictionary(b => b.Fid, StringComparer.Ordinal);
        var created = bids.Where(b => !_before.ContainsKey(b.Fid)).ToList();
        var resumed = _before.Values.Where(b => b.Status == BidStatus.Paused && after.TryGetValue(b.Fid, out var a) && Live(a)).ToList();
        var released = _before.Values.Where(b => Live(b) && after.TryGetValue(b.Fid, out var a) && !Live(a)).ToList();
        var releasedRunning = released.Where(b => _runningBefore.Contains(b.Fid) && b.Status == BidStatus.Allocated).ToList();
        var capacityGpus = _before.Values.Where(b => b.Status is BidStatus.Open or BidStatus.Allocated).Sum(b => (long)gpusByType[b.InstanceType]);
        var adds = created.Count + resumed.Count;
        string Names(IEnumerable<Bid> list) => string.Join(", ", list.Select(b => b.Name));

        Check(!DryRun || (adds == 0 && released.Count == 0), $"dry run, but created [{Names(created)}], resumed [{Names(resumed)}], released [{Names(released)}]");
        Check(!_stale || (adds == 0 && released.Count == 0), $"stale figures, but created [{Names(created)}], resumed [{Names(resumed)}], released [{Names(released)}]");
        var moves = report.Actions.Where(a => a.Action.ReasonCode == ReasonCodes.Rebalance).Select(a => a.Action.BidFid).ToHashSet(StringComparer.Ordinal);
        var notMoves = releasedRunning.Where(b => !moves.Contains(b.Fid)).ToList();
        Check(!_holding || notMoves.Count == 0, $"released running [{Names(notMoves)}] while the oldest pending job has waited release_below_wait or longer");
        Check(_keepGpus < capacityGpus || notMoves.Count == 0, $"released running [{Names(notMoves)}] while the queue at release_jobs_per_gpu needed {_keepGpus} GPUs of the {capacityGpus} held");
        for (var i = 0; i < options.PoolDetails.Count; i++)
        {
            var type = options.PoolDetails[i].InstanceType;
            var bounds = options.AutoscalerFor(options.PoolDetails[i]);
            var live = bids.Count(b => b.InstanceType == type && Live(b));
            Check(live <= bounds.MaxAgents, $"{options.PoolDetails[i].PoolName}: {live} live bids over max_agents {bounds.MaxAgents}");
            var covering = bids.Count(b => b.InstanceType == type && (b.Status is BidStatus.Open or BidStatus.Allocated
                || (b.Status == BidStatus.Preempting && _before.GetValueOrDefault(b.Fid)?.Status == BidStatus.Allocated)));
            Check(!releasedRunning.Any(b => b.InstanceType == type) || covering >= bounds.MinAgents,
                $"{options.PoolDetails[i].PoolName}: released running capacity leaving {covering} bids under min_agents {bounds.MinAgents}");
        }

        if (HoldingCodes.Contains(report.Gate.Code))
        {
            Check(adds == 0 && releasedRunning.Count == 0,
                $"gate '{report.Gate.Reason}' but capacity moved: created [{Names(created)}], resumed [{Names(resumed)}], released [{Names(released)}]");
        }

        Check(releasedRunning.Count == 0 || _demandGpus < capacityGpus,
            $"released running [{Names(releasedRunning)}] while demand {_demandGpus} GPUs ≥ capacity {capacityGpus} GPUs");
        // A bid the market began to preempt during the tick was capacity when the controller looked: its loss is the market's doing.
        var capacityAfter = bids.Where(b => b.Status is BidStatus.Open or BidStatus.Allocated
                || (b.Status == BidStatus.Preempting && _before.GetValueOrDefault(b.Fid)?.Status == BidStatus.Allocated))
            .Sum(b => (long)gpusByType[b.InstanceType]);
        Check(releasedRunning.Count == 0 || capacityAfter >= _demandGpus,
            $"released running [{Names(releasedRunning)}] leaving {capacityAfter} GPUs for a demand of {_demandGpus} (break before make)");
        Check(adds == 0 || releasedRunning.Count == 0, $"capacity shuffled in one tick: added [{Names(created.Concat(resumed))}], released running [{Names(releasedRunning)}]");
        Check(now - _startedAt >= scaleUpAfter || (adds == 0 && released.Count(b => b.Status == BidStatus.Allocated) == 0),
            $"{(now - _startedAt).TotalSeconds:F0} s after a start (scale_up_after {scaleUpAfter.TotalSeconds:F0} s): created [{Names(created)}], resumed [{Names(resumed)}], released [{Names(released)}]");
        Check(now - _startedAt >= scaleDownAfter || releasedRunning.Count == 0,
            $"{(now - _startedAt).TotalSeconds:F0} s after a start (scale_down_after {scaleDownAfter.TotalSeconds:F0} s): released running [{Names(releasedRunning)}]");
        foreach (var bid in releasedRunning)
        {
            Check(_runningSince.TryGetValue(bid.Fid, out var since), $"{bid.Name} released; the market never said it ran");
            Check(now - since >= scaleDownAfter, $"{bid.Name} released after running {(now - since).TotalSeconds:F0} s (scale_down_after {scaleDownAfter.TotalSeconds:F0} s)");
        }

        foreach (var bid in resumed)
        {
            _resumedSincePause.Add(bid.Fid);
        }

        foreach (var bid in released.Where(b => after[b.Fid].Status == BidStatus.Paused))
        {
            Check(!(_lastPause.TryGetValue(bid.Fid, out var last) && _resumedSincePause.Contains(bid.Fid) && now - last < scaleDownAfter),
                $"{bid.Name} paused, resumed and paused again within {(now - last).TotalSeconds:F0} s (scale_down_after {scaleDownAfter.TotalSeconds:F0} s)");
            _lastPause[bid.Fid] = now;
            _resumedSincePause.Remove(bid.Fid);
        }
    }

    private static bool Live(Bid bid) => bid.Status is not (BidStatus.Paused or BidStatus.Terminated);

    private void Check(bool holds, string what)
    {
        if (!holds)
        {
            throw new BurstRuleBrokenException($"tick {_tick}: {what}{_context}");
        }
    }
}
