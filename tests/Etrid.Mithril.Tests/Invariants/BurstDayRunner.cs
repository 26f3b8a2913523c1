using Etrid.Burst.Control;
using Etrid.Burst.Options;
using Etrid.DevMarket.Faults;
using Etrid.DevMarket.Market;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Options;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Invariants;

/// <summary>
/// Plays a <see cref="BurstDay"/>: the real reconciler against a dev market over loopback HTTP on virtual time, a
/// tick every 30 s, restarts as new reconcilers on the same market (some in dry run), new leadership terms, ticks
/// with stale figures, and the <see cref="BurstOracle"/> checking the
/// market's books after every tick. Throws <see cref="BurstRuleBrokenException"/> at the first broken rule.
/// </summary>
public static class BurstDayRunner
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    // While a call waits on virtual time (a back-off, Retry-After, a hung request), time moves in these steps.
    private static readonly TimeSpan PumpStep = TimeSpan.FromSeconds(1);

    /// <summary>Runs the day; returns the number of ticks checked.</summary>
    public static async Task<int> RunAsync(BurstDay day)
    {
        ArgumentNullException.ThrowIfNull(day);
        await using var market = await MarketHarness.StartAsync(new DevMarketOptions { ApiToken = MarketHarness.Token, Seed = day.MarketSeed, MaxCapturedRequests = 0 });
        var rate = day.FaultPercent / 100.0 / 3;
        market.Server.Faults.Settings = new FaultSettings { Rate429 = rate, Rate500 = rate, RateTimeout = rate, AfterProcessing = day.FaultsAfterProcessing, RetryAfterSeconds = 1 };
        // Short attempts keep a tick's virtual time short: a hung request costs 5 s, not half a minute, of market time.
        using var client = market.FaultTolerantClient(day.MarketSeed, requestTimeoutSeconds: 5);

        var options = Options(day, market);
        var gpus = BurstDay.Types.ToDictionary(t => t.Fid, t => t.Gpus);
        var oracle = new BurstOracle(day, options, gpus);
        market.Market.InstanceRunningChanged += oracle.Observe;
        var restarts = 0;
        BurstReconciler Start(bool dryRun) =>
            new(options with { DryRun = dryRun }, new MithrilCapacityMarket(options with { DryRun = dryRun }, client), gpus, "1.0.0", "00ff", name => $"#!/bin/bash\necho {name}\n", new Random(day.MarketSeed + restarts), market.Time);

        var reconciler = Start(dryRun: false);
        oracle.Started(market.Time.GetUtcNow(), dryRun: false);
        for (var i = 0; i < day.Ticks.Length; i++)
        {
            var tick = day.Ticks[i];
            if (tick.PricedType >= 0)
            {
                var (fid, _) = BurstDay.Types[tick.PricedType];
                var baseCents = market.Market.Options.InstanceTypes.Single(t => t.Fid == fid).BasePriceCents;
                market.Market.SetSpotPrice(fid, baseCents * tick.PricePercent / 100);
            }

            if (tick.Restart)
            {
                restarts++;
                reconciler = Start(tick.DryRun);
                oracle.Started(market.Time.GetUtcNow(), tick.DryRun);
            }
            else if (tick.NewTerm)
            {
                // Another replica led meanwhile: the same process, a new term (the rules are those after a start).
                reconciler.BeginTerm();
                oracle.Started(market.Time.GetUtcNow(), oracle.DryRun);
            }

            oracle.Before(i, market.Market.SnapshotBids(), market.Market.SnapshotInstances(), tick);
            var input = new BurstTickInput { PendingJobs = tick.Pending, LocalGpus = 0, Urgent = tick.Urgent, Fresh = !tick.Stale, OldestWaitSeconds = tick.OldestWait };
            var report = await market.PumpAsync(reconciler.TickAsync(input, CancellationToken.None), PumpStep);
            oracle.After(report, market.Market.SnapshotBids());
            market.Advance(Step);
        }

        return day.Ticks.Length;
    }

    private static MithrilAutoOptions Options(BurstDay day, MarketHarness market)
    {
        var autoscaler = new AutoscalerOptions
        {
            MaxAgents = day.MaxAgents,
            MinAgents = day.MinAgents,
            MaxIdleAgents = day.MaxIdleAgents,
            IdleDecay = TimeSpan.FromSeconds(day.IdleDecaySeconds),
            SyncLoopInterval = Step,
        };
        return new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = market.Project,
            Region = market.Region,
            ApiToken = MarketHarness.Token,
            ApiEndpoint = market.Url,
            SshKeyIds = [market.SshKey],
            MaxSuspendedBids = day.MaxSuspended,
            MaxHourlySpendUsd = day.BudgetUsd == 0 ? null : day.BudgetUsd,
            RebalanceMinSavingUsd = day.RebalanceCents < 0 ? null : day.RebalanceCents / 100m,
            TargetJobsPerGpu = day.TargetJobsPerGpu,
            UrgentJobsPerGpu = day.UrgentJobsPerGpu == 0 ? null : day.UrgentJobsPerGpu,
            WaitThreshold = BurstOracle.WaitThreshold,
            WaitLead = TimeSpan.FromSeconds(day.WaitLeadSeconds),
            ReleaseBelowWait = day.ReleaseBelowWaitSeconds < 0 ? null : TimeSpan.FromSeconds(day.ReleaseBelowWaitSeconds),
            ReleaseJobsPerGpu = day.ReleaseJobsPerGpu == 0 ? null : day.ReleaseJobsPerGpu,
            ScaleUpAfter = TimeSpan.FromSeconds(day.ScaleUpAfterSeconds),
            ScaleDownAfter = TimeSpan.FromSeconds(day.ScaleDownAfterSeconds),
            AutoscalerConfig = autoscaler,
            PoolDetails = day.PoolTypes().Select((t, i) => new PoolOptions
            {
                PoolName = $"pool{i}",
                InstanceType = t.Fid,
                LimitPricePerGpuHour = day.LimitCentsPerGpuHour[i] / 100m,
            }).ToList(),
        };
    }
}
