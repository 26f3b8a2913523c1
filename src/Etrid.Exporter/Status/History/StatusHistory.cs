using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Status;

namespace Etrid.Exporter.Status.History;

/// <summary>
/// The last hour of the key figures, one point per snapshot (at most one per <see cref="MinSpacing"/>:
/// a later snapshot within it replaces the point), and the burst decisions that acted, for the status
/// page's charts and <c>/status/history</c>. Memory is fixed: <see cref="Capacity"/> points in one array
/// allocated up front, and at most <see cref="DecisionCapacity"/> decisions with their text cut to
/// <see cref="MaxTextLength"/> characters.
/// </summary>
public sealed class StatusHistory
{
    /// <summary>How far back points and decisions are kept, from the newest point.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>The shortest gap between two points; a faster chain's snapshots within it replace one another.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(1);

    /// <summary>Points held at most: the window at the minimum spacing.</summary>
    public const int Capacity = 3600;

    /// <summary>Decisions held at most (a burst acts a few times an hour; a flapping one is cut here).</summary>
    public const int DecisionCapacity = 256;

    /// <summary>Longest pool, bid, action, code or reason kept (the rest is cut with an ellipsis).</summary>
    public const int MaxTextLength = 200;

    /// <summary>Decisions carried by each status document (the page fetches the history when it missed more).</summary>
    public const int RecentDecisions = 20;

    private readonly TrendPoint[] _points = new TrendPoint[Capacity];
    private readonly TrendDecision?[] _decisions = new TrendDecision?[DecisionCapacity];
    private readonly Dictionary<(string? Pool, string Action, string? Bid, string Code, string Reason), int> _seenAtLastDecision = [];
    private readonly Lock _lock = new();
    private int _first;
    private int _count;
    private long _seq;
    private int _firstDecision;
    private int _decisionCount;
    private long _decisionSeq;
    private DateTimeOffset _lastDecisionAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastOpenedAt;

    /// <summary>Records <paramref name="snapshot"/>'s figures and, when the controller is on, <paramref name="burst"/>'s, with its new decisions.</summary>
    public void Record(ChainSnapshot snapshot, BurstStatus? burst)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var f = snapshot.Figures;
        var on = burst is { Enabled: true };
        lock (_lock)
        {
            // Measured from the snapshot that opened the last point, so a chain faster than the spacing still gets a point per spacing.
            var replace = _count > 0 && snapshot.ObservedAt >= _lastOpenedAt && snapshot.ObservedAt - _lastOpenedAt < MinSpacing;
            var point = new TrendPoint(
                replace ? Newest().Seq : ++_seq,
                snapshot.ObservedAt,
                snapshot.BlockNumber,
                f.JobsByStatus.GetValueOrDefault(JobStatus.Pending),
                f.JobsByStatus.GetValueOrDefault(JobStatus.Processing),
                double.IsFinite(f.AverageWaitSeconds) ? Math.Round(f.AverageWaitSeconds, 3) : null,
                f.GpusByStatus.GetValueOrDefault(GpuStatus.Active),
                on ? burst!.LocalGpus : null,
                on ? burst!.DesiredGpus : null,
                on ? burst!.CurrentGpus : null,
                on ? (double)burst!.SpendRateUsdPerHour : null,
                on ? (double)burst!.CommittedUsdPerHour : null,
                on && burst!.BudgetUsdPerHour is { } budget ? (double)budget : null);
            if (replace)
            {
                _points[Index(_count - 1)] = point;
            }
            else
            {
                if (_count == Capacity)
                {
                    _first = (_first + 1) % Capacity;
                    _count--;
                }

                _points[Index(_count)] = point;
                _count++;
                _lastOpenedAt = point.At;
            }

            if (on)
            {
                AddDecisions(burst!.Decisions);
            }

            Trim(point.At - Window);
        }
    }

    /// <summary>Everything held, oldest first.</summary>
    public HistoryDocument Read()
    {
        lock (_lock)
        {
            var points = new TrendPoint[_count];
            for (var i = 0; i < _count; i++)
            {
                points[i] = _points[Index(i)];
            }

            return new HistoryDocument(Window.TotalSeconds, MinSpacing.TotalSeconds, Capacity, points, Decisions(_decisionCount));
        }
    }

    /// <summary>The newest point and the last few decisions, for each status document (null before the first snapshot).</summary>
    public TrendSection? Latest()
    {
        lock (_lock)
        {
            return _count == 0 ? null : new TrendSection(Newest(), Decisions(Math.Min(RecentDecisions, _decisionCount)));
        }
    }

    private TrendPoint Newest() => _points[Index(_count - 1)];

    private int Index(int i) => (_first + i) % Capacity;

    private TrendDecision[] Decisions(int last)
    {
        var list = new TrendDecision[last];
        for (var i = 0; i < last; i++)
        {
            list[i] = _decisions[(_firstDecision + _decisionCount - last + i) % DecisionCapacity]!;
        }

        return list;
    }

    // The controller lists its last decisions every tick: each one that acted is recorded once. Several alike in
    // one tick (two creates in a pool) are told apart by how many of them there are.
    private void AddDecisions(IReadOnlyList<BurstDecision> decisions)
    {
        foreach (var tick in decisions.Where(d => d.Action != "hold" && d.At >= _lastDecisionAt).GroupBy(d => d.At).OrderBy(g => g.Key))
        {
            if (tick.Key > _lastDecisionAt)
            {
                _seenAtLastDecision.Clear();
                _lastDecisionAt = tick.Key;
            }

            var inTick = new Dictionary<(string? Pool, string Action, string? Bid, string Code, string Reason), int>();
            foreach (var d in tick)
            {
                var key = (d.Pool, d.Action, d.Bid, d.ReasonCode, d.Reason);
                var n = inTick[key] = inTick.GetValueOrDefault(key) + 1;
                if (n <= _seenAtLastDecision.GetValueOrDefault(key))
                {
                    continue;
                }

                _seenAtLastDecision[key] = n;
                var decision = new TrendDecision(++_decisionSeq, d.At, Cut(d.Pool), Cut(d.Action)!, Cut(d.Bid), Cut(d.ReasonCode)!, Cut(d.Reason)!);
                if (_decisionCount == DecisionCapacity)
                {
                    _firstDecision = (_firstDecision + 1) % DecisionCapacity;
                    _decisionCount--;
                }

                _decisions[(_firstDecision + _decisionCount) % DecisionCapacity] = decision;
                _decisionCount++;
            }
        }
    }

    private void Trim(DateTimeOffset before)
    {
        while (_count > 1 && _points[_first].At < before)
        {
            _points[_first] = default;
            _first = (_first + 1) % Capacity;
            _count--;
        }

        while (_decisionCount > 0 && _decisions[_firstDecision]!.At < before)
        {
            _decisions[_firstDecision] = null;
            _firstDecision = (_firstDecision + 1) % DecisionCapacity;
            _decisionCount--;
        }
    }

    private static string? Cut(string? text) => text is null || text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");
}
