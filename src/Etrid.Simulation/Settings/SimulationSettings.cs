using System.ComponentModel.DataAnnotations;
using Etrid.Burst.Options;
using Etrid.DevChain.Workloads;
using Etrid.DevMarket.Market;
using Etrid.Mithril.Options;
using Microsoft.Extensions.Configuration;

namespace Etrid.Simulation.Settings;

/// <summary>
/// What <c>simulate</c> replays: the seed, the day's shape and local capacity, the dev market, and the burst
/// policy under test (the <c>mithril_auto</c> section; its endpoint, key, project, region and SSH keys are
/// replaced by the dev market's).
/// </summary>
public sealed class SimulationSettings
{
    /// <summary>Seed of the day's workload, job run times and the market's price path. Default 1.</summary>
    [ConfigurationKeyName("seed")]
    public int Seed { get; init; } = 1;

    /// <summary>Length of the simulated day. Default 24 h.</summary>
    [ConfigurationKeyName("duration")]
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Local GPUs: the HPA's <c>maxReplicas</c> (one GPU per worker pod). Default 32.</summary>
    [ConfigurationKeyName("local_gpus")]
    [Range(1, 10_000, ErrorMessage = "local_gpus: must be between 1 and 10000")]
    public int LocalGpus { get; init; } = 32;

    /// <summary>The HPA's <c>minReplicas</c>. Default 2.</summary>
    [ConfigurationKeyName("local_min_gpus")]
    [Range(1, 10_000, ErrorMessage = "local_min_gpus: must be between 1 and 10000")]
    public int LocalMinGpus { get; init; } = 2;

    /// <summary>Share of the local GPUs the working day's base rate keeps busy (surges are 3–6× that). Default 0.5.</summary>
    [ConfigurationKeyName("base_utilisation")]
    [Range(0.01, 2.0, ErrorMessage = "base_utilisation: must be between 0.01 and 2")]
    public double BaseUtilisation { get; init; } = 0.5;

    /// <summary>Shortest job run time. Default 1 min.</summary>
    [ConfigurationKeyName("job_min_duration")]
    public TimeSpan JobMinDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest job run time. Default 10 min.</summary>
    [ConfigurationKeyName("job_max_duration")]
    public TimeSpan JobMaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The HPA's sync period (<c>--horizontal-pod-autoscaler-sync-period</c>). Default 15 s.</summary>
    [ConfigurationKeyName("hpa_sync_period")]
    public TimeSpan HpaSyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The arrival-rate profile; null: <see cref="WorkloadProfile.BurstyDay"/> of the seed at the base rate.</summary>
    public WorkloadProfile? Workload { get; init; }

    /// <summary>
    /// The dev market (its seed is replaced by <see cref="Seed"/>): default catalogue and timings, but prices move at
    /// most 2 % a round instead of 5 %, since at 5 % a day's price walks to its clamps (½× to 2× the base) within hours.
    /// </summary>
    [ConfigurationKeyName("devmarket")]
    public DevMarketOptions Market { get; init; } = new() { PriceVolatility = 0.02 };

    /// <summary>The burst policy under test; default <see cref="DefaultPolicy"/>.</summary>
    [ConfigurationKeyName("mithril_auto")]
    public MithrilAutoOptions Policy { get; init; } = DefaultPolicy();

    /// <summary>
    /// The simulation's default policy, tuned on seeds 1–8 under the no-churn rules (BENCHMARKS.md has the sweep): a
    /// 4-GPU A100 pool at a limit of $3.00 per GPU-hour (high enough that a price walk rarely preempts it: a
    /// preemption costs a restart and a boot) with an 8-GPU H100 pool at $2.50 as the fallback when the A100 pool
    /// is not winning, up to 16 nodes a pool; 1.77 jobs per GPU, running jobs counted as demand (a queue kept near the
    /// wait threshold is cheaper than a GPU that clears it early), with the release band at 1.5 (a scale-down keeps
    /// what the queue needs at 1.5 jobs a GPU, so a dip of the queue hands back no node it wants again minutes later);
    /// up to 16 paused bids kept, since a resume boots in 100 s against 180 s cold; a scale-up as soon as a tick sees
    /// the breach (the band, not a breach timer, keeps capacity from flapping); a release after 2 min of surplus, no
    /// idle node kept, a node released only after running 2 min; a tick every 10 s.
    /// </summary>
    public static MithrilAutoOptions DefaultPolicy() => new()
    {
        Enabled = true,
        ProjectId = "proj_simulated",
        Region = "simulated",
        ApiToken = "simulated",
        MaxSuspendedBids = 16,
        AutoscalerConfig = new AutoscalerOptions { MaxAgents = 16, MaxIdleAgents = 0, IdleDecay = TimeSpan.FromMinutes(1), SyncLoopInterval = TimeSpan.FromSeconds(10) },
        PoolDetails =
        [
            new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 3.00m },
            new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 2.50m },
        ],
        TargetJobsPerGpu = 1.77,
        ReleaseJobsPerGpu = 1.5,
        // Running jobs count as demand: with pending alone the burst is handed back the moment it clears the queue, and oscillates.
        DemandIncludesRunning = true,
        ScaleUpAfter = TimeSpan.Zero,
        ScaleDownAfter = TimeSpan.FromMinutes(2),
        WaitThreshold = TimeSpan.FromMinutes(5),
        AllocationTimeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>; empty when valid.</summary>
    public IEnumerable<string> Validate(string path)
    {
        var problems = new List<string>();
        if (Duration < TimeSpan.FromMinutes(10) || Duration > TimeSpan.FromDays(7))
        {
            problems.Add($"{path}.duration: must be between 10 min and 7 days ({Duration})");
        }

        if (JobMinDuration < TimeSpan.FromSeconds(1) || JobMaxDuration < JobMinDuration || JobMaxDuration > TimeSpan.FromHours(24))
        {
            problems.Add($"{path}.job_min_duration/job_max_duration: need 1 s ≤ min ≤ max ≤ 24 h ({JobMinDuration}, {JobMaxDuration})");
        }

        if (HpaSyncPeriod < TimeSpan.FromSeconds(1) || HpaSyncPeriod > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{path}.hpa_sync_period: must be between 1 s and 10 min ({HpaSyncPeriod})");
        }

        if (LocalMinGpus > LocalGpus)
        {
            problems.Add($"{path}.local_min_gpus: must not exceed local_gpus ({LocalMinGpus})");
        }

        if (Workload is not null)
        {
            problems.AddRange(Workload.Validate().Select(p => $"{path}.workload: {p}"));
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        problems.AddRange(Market.Validate($"{path}.devmarket"));
        if (Policy.PoolDetails.Count == 0)
        {
            problems.Add($"{path}.mithril_auto.pool_details: at least one pool is required");
        }

        var types = Market.InstanceTypes.Select(t => t.Fid).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < Policy.PoolDetails.Count; i++)
        {
            if (!types.Contains(Policy.PoolDetails[i].InstanceType))
            {
                problems.Add($"{path}.mithril_auto.pool_details[{i}].instance_type: not in the dev market's catalogue {string.Join(", ", types)} ({Policy.PoolDetails[i].InstanceType})");
            }
        }

        if (Policy.AutoscalerConfig.SyncLoopInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{path}.mithril_auto.autoscaler_config.sync_loop_interval: must be at least 1 s ({Policy.AutoscalerConfig.SyncLoopInterval})");
        }

        return problems;
    }
}
