using Etrid.DevChain.Workloads;
using Etrid.Simulation.Bounds;
using Etrid.Simulation.Reporting;
using Etrid.Simulation.Running;
using Etrid.Simulation.Settings;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation;

/// <summary>
/// <c>simulate</c>: replays a seeded bursty day in virtual time against the dev market over loopback HTTP, once
/// under the configured burst policy (the <see cref="Burst.Control.BurstReconciler"/>) and once under the seed's
/// naive policy, and compares both with the cost lower bound. Same settings, same report.
/// </summary>
public static class BurstSimulation
{
    /// <summary>Runs both policies over the day and reports.</summary>
    /// <exception cref="ArgumentException">The settings have problems (all of them listed).</exception>
    public static async Task<SimulationReport> RunAsync(SimulationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate("simulate").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid simulation settings: " + string.Join("; ", problems), nameof(settings));
        }

        var jobs = Trace(settings);
        var prices = new List<decimal>();
        var configured = await PolicyRun.RunAsync(settings, jobs, naive: false, prices, cancellationToken).ConfigureAwait(false);
        var naive = await PolicyRun.RunAsync(settings, jobs, naive: true, null, cancellationToken).ConfigureAwait(false);
        var (gpuHours, cost) = LowerBound.Compute(jobs, settings.LocalGpus, settings.Policy.WaitThreshold, prices);
        var pool = settings.Policy.PoolDetails[0];
        return new SimulationReport
        {
            Seed = settings.Seed,
            Duration = settings.Duration,
            Jobs = jobs,
            LocalGpus = settings.LocalGpus,
            WaitThreshold = settings.Policy.WaitThreshold,
            Pool = $"{pool.PoolName} ({pool.InstanceType}, limit ${pool.LimitPricePerGpuHour:0.00}/GPU-h)",
            SpotUsdPerGpuHourByMinute = prices,
            Configured = configured,
            Naive = naive,
            LowerBoundGpuHours = Math.Round(gpuHours, 2),
            LowerBoundCostUsd = decimal.Round(cost, 2),
        };
    }

    /// <summary>The day's jobs for these settings (the profile, or the seed's bursty day at the base rate).</summary>
    public static IReadOnlyList<SimJob> Trace(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseRate = JobTrace.BaseRate(settings.LocalGpus, settings.BaseUtilisation, settings.JobMinDuration, settings.JobMaxDuration);
        var profile = settings.Workload ?? WorkloadProfile.BurstyDay(baseRate, settings.Seed, JobTrace.SecondsPerBlock);
        return JobTrace.Generate(profile, (int)settings.Duration.TotalSeconds, settings.JobMinDuration, settings.JobMaxDuration, settings.Seed);
    }
}
