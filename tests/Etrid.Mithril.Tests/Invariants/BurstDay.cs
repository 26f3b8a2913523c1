using CsCheck;

namespace Etrid.Mithril.Tests.Invariants;

/// <summary>
/// One tick of a random day: the queue and its oldest job's wait, a price pinned on one instance type, a controller
/// restart (in dry run or not) or a new leadership term, and figures that are stale.
/// </summary>
public sealed record BurstDayTick(int Pending, int PricedType, int PricePercent, bool Restart, bool Urgent)
{
    /// <summary>How long the oldest pending job has waited, in seconds (0 without pending jobs).</summary>
    public int OldestWait { get; init; }

    /// <summary>The chain figures are stale this tick.</summary>
    public bool Stale { get; init; }

    /// <summary>A leadership change: the running controller begins a new term.</summary>
    public bool NewTerm { get; init; }

    /// <summary>With <see cref="Restart"/>: the new controller runs in dry run.</summary>
    public bool DryRun { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Pending}{(OldestWait > 0 ? $"@{OldestWait}s" : "")}{(PricedType >= 0 ? $" p{PricedType}={PricePercent}%" : "")}{(Restart ? DryRun ? " restart-dry" : " restart" : "")}{(NewTerm ? " term" : "")}{(Stale ? " stale" : "")}{(Urgent ? " urgent" : "")}";
}

/// <summary>
/// A random day for the burst controller: the market's seed, a valid configuration (one to three pools in a random
/// preference order, limits, caps, pacing, an optional budget, moves between pools off or at a threshold), a fault
/// rate of 0–30 %, and the ticks.
/// </summary>
public sealed record BurstDay(
    int MarketSeed,
    int Pools,
    int TypeOrder,
    int[] LimitCentsPerGpuHour,
    int MaxAgents,
    int MaxSuspended,
    int BudgetUsd,
    int ScaleUpAfterSeconds,
    int ScaleDownAfterSeconds,
    int IdleDecaySeconds,
    int MaxIdleAgents,
    int MinAgents,
    int TargetJobsPerGpu,
    int FaultPercent,
    bool FaultsAfterProcessing,
    int RebalanceCents,
    BurstDayTick[] Ticks)
{
    /// <summary>The wait-aware rule: <c>urgent_jobs_per_gpu</c>, 0 = off.</summary>
    public int UrgentJobsPerGpu { get; init; }

    /// <summary>The wait-aware rule: <c>wait_lead</c> in seconds (of a 300 s <c>wait_threshold</c>).</summary>
    public int WaitLeadSeconds { get; init; }

    /// <summary>The wait-aware rule: <c>release_below_wait</c> in seconds, −1 = off.</summary>
    public int ReleaseBelowWaitSeconds { get; init; } = -1;

    /// <summary>The release band: <c>release_jobs_per_gpu</c>, at most <see cref="TargetJobsPerGpu"/>; 0 = off.</summary>
    public int ReleaseJobsPerGpu { get; init; }

    /// <summary>The instance types of the dev market's catalogue, with their GPUs.</summary>
    public static readonly (string Fid, int Gpus)[] Types = [("it_devh100x8", 8), ("it_deva100x4", 4), ("it_devl40sx1", 1)];

    /// <summary>Days of about half an hour at 30 s a tick, with a queue that mostly holds and sometimes jumps.</summary>
    public static Gen<BurstDay> Generator(int minTicks = 30, int maxTicks = 70)
    {
        var tick = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 48], Gen.Int[-6, 2], Gen.Int[40, 220], Gen.Int[0, 39], Gen.Int[0, 4], (keep, pending, type, percent, restart, urgent) =>
            new BurstDayTick(keep < 7 ? -1 : pending, type < 0 ? -1 : type, percent, restart == 0, urgent == 0));
        // Now and then: stale figures, a new leadership term, a restart in dry run; the oldest wait walks or jumps.
        tick = Gen.Select(tick, Gen.Int[0, 29], Gen.Int[0, 59], Gen.Bool, Gen.Int[-2, 12], (t, stale, term, dry, wait) =>
            t with { Stale = stale == 0, NewTerm = term == 0, DryRun = dry, OldestWait = wait < 0 ? -1 : wait * 30 });
        var shape = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 3], Gen.Int[0, 5], Gen.Int[60, 450].Array[3], Gen.Int[1, 6], Gen.Int[0, 3], Gen.Int[0, 5], (seed, pools, order, limits, maxAgents, maxSuspended, budget) =>
            (seed, pools, order, limits, maxAgents, maxSuspended, budget == 0 ? 0 : budget * 15));
        var pacing = Gen.Select(Gen.Int[1, 6], Gen.Int[2, 20], Gen.Int[0, 6], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[1, 3], (up, down, decay, maxIdle, minAgents, perGpu) =>
            (up * 30, down * 30, decay * 30, maxIdle, minAgents == 3 ? 1 : 0, perGpu));
        var faults = Gen.Select(Gen.Int[0, 30], Gen.Bool, Gen.Int[-2, 2], (percent, after, rebalance) => (percent, after, rebalance: rebalance < 0 ? -1 : rebalance * 25));
        var wait = Gen.Select(Gen.Int[-1, 2], Gen.Int[0, 8], Gen.Int[-3, 8], Gen.Int[-2, 3], (urgent, lead, hold, release) => (urgent: Math.Max(0, urgent), lead: lead * 30, hold: hold < 0 ? -1 : hold * 30, release: Math.Max(0, release)));
        return Gen.Select(shape, pacing, faults, wait, tick.Array[minTicks, maxTicks], (s, p, f, w, ticks) =>
        {
            // The queue holds its level where a tick says so (-1); its oldest job ages by a tick or jumps; no job, no wait.
            var level = 0;
            var oldest = 0;
            var filled = ticks.Select(t =>
            {
                level = t.Pending < 0 ? level : t.Pending;
                oldest = level == 0 ? 0 : t.OldestWait < 0 ? oldest + 30 : t.OldestWait;
                return t with { Pending = level, OldestWait = oldest };
            }).ToArray();
            return new BurstDay(s.seed, s.pools, s.order, s.limits, s.maxAgents, s.maxSuspended, s.Item7, p.Item1, p.Item2, p.Item3, p.maxIdle, p.Item5, p.perGpu, f.percent, f.after, f.rebalance, filled)
            {
                UrgentJobsPerGpu = w.urgent,
                WaitLeadSeconds = w.lead,
                ReleaseBelowWaitSeconds = w.hold,
                ReleaseJobsPerGpu = Math.Min(w.release, p.perGpu),
            };
        });
    }

    /// <summary>The pools' instance types in preference order.</summary>
    public IReadOnlyList<(string Fid, int Gpus)> PoolTypes()
    {
        int[][] orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        return orders[TypeOrder].Take(Pools).Select(i => Types[i]).ToList();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"market seed {MarketSeed}, pools {string.Join(",", PoolTypes().Select((t, i) => $"{t.Fid}@{LimitCentsPerGpuHour[i]}¢"))}, max_agents {MaxAgents}, max_suspended {MaxSuspended}, budget {(BudgetUsd == 0 ? "none" : "$" + BudgetUsd)}, " +
        $"up {ScaleUpAfterSeconds} s, down {ScaleDownAfterSeconds} s, decay {IdleDecaySeconds} s, max_idle {MaxIdleAgents}, min_agents {MinAgents}, jobs/GPU {TargetJobsPerGpu}, urgent jobs/GPU {(UrgentJobsPerGpu == 0 ? "off" : UrgentJobsPerGpu)}, wait lead {WaitLeadSeconds} s, release below wait {(ReleaseBelowWaitSeconds < 0 ? "off" : ReleaseBelowWaitSeconds + " s")}, release jobs/GPU {(ReleaseJobsPerGpu == 0 ? "off" : ReleaseJobsPerGpu)}, faults {FaultPercent} %{(FaultsAfterProcessing ? " after processing" : "")}, rebalance {(RebalanceCents < 0 ? "off" : RebalanceCents + "¢")}, " +
        $"ticks [{string.Join(" ", Ticks.Select(t => t.ToString()))}]";
}
