using System.Globalization;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Reporting;

/// <summary>The simulated day under both policies, with the cost lower bound and the target check.</summary>
public sealed record SimulationReport
{
    /// <summary>The seed replayed.</summary>
    public required int Seed { get; init; }

    /// <summary>Length of the day.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The jobs of the day (both policies replay these).</summary>
    public required IReadOnlyList<SimJob> Jobs { get; init; }

    /// <summary>Local GPUs (the HPA's maximum).</summary>
    public required int LocalGpus { get; init; }

    /// <summary>The configured policy's wait threshold (the lower bound's too).</summary>
    public required TimeSpan WaitThreshold { get; init; }

    /// <summary>The first pool: name, instance type and limit, for the table's header.</summary>
    public required string Pool { get; init; }

    /// <summary>The spot price per GPU-hour of the first pool's instance type, minute by minute.</summary>
    public required IReadOnlyList<decimal> SpotUsdPerGpuHourByMinute { get; init; }

    /// <summary>The configured policy.</summary>
    public required PolicyResult Configured { get; init; }

    /// <summary>The seed's naive policy.</summary>
    public required PolicyResult Naive { get; init; }

    /// <summary>Cloud GPU-hours needed with instant provisioning.</summary>
    public required double LowerBoundGpuHours { get; init; }

    /// <summary>Those GPU-hours at the spot price.</summary>
    public required decimal LowerBoundCostUsd { get; init; }

    /// <summary>The configured policy's cost over the lower bound (1 when both are zero).</summary>
    public double CostRatio => Ratio(Configured.CloudCostUsd);

    /// <summary>The naive policy's cost over the lower bound.</summary>
    public double NaiveCostRatio => Ratio(Naive.CloudCostUsd);

    /// <summary>What <see cref="TargetMet"/> asks, in words.</summary>
    public const string TargetText = "no churn, cost ≤ 1.2× the lower bound, p95 wait ≤ the threshold, cheaper than naive at equal or better wait";

    /// <summary>
    /// The target: no churn (no bid released within <c>scale_down_after</c> of creation, no pause → resume → pause
    /// within it, no running node released while demand is at or above capacity), cost ≤ 1.2× the lower bound while
    /// the p95 wait ≤ the wait threshold, and cheaper than the naive policy at an equal or better p95 wait.
    /// </summary>
    public bool TargetMet =>
        Configured.ReleasedEarly == 0
        && Configured.PauseResumePause == 0
        && Configured.ReleasedUnderDemand == 0
        && CostRatio <= 1.2
        && Configured.P95WaitSeconds <= WaitThreshold.TotalSeconds
        && Configured.CloudCostUsd <= Naive.CloudCostUsd
        && Configured.P95WaitSeconds <= Naive.P95WaitSeconds;

    /// <summary>Writes the table and the ratio line.</summary>
    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(c, $"simulate: seed {Seed}, {Duration.TotalHours:0.#} h, {Jobs.Count} jobs, {LocalGpus} local GPUs (HPA model), wait threshold {WaitThreshold.TotalSeconds:0} s, pool {Pool}"));
        writer.WriteLine(string.Create(c, $"{"policy",-12} {"p95 wait",9} {"cloud cost",11} {"GPU-hours",10} {"bids created",13} {"resumed",8} {"preempted",10} {"early release",14} {"re-pause",9} {"release at demand",18}"));
        foreach (var r in new[] { Configured, Naive })
        {
            writer.WriteLine(string.Create(c, $"{r.Name,-12} {r.P95WaitSeconds,7:0} s {"$" + r.CloudCostUsd.ToString("0.00", c),11} {r.GpuHoursRented,10:0.00} {r.BidsCreated,13} {r.BidsResumed,8} {r.BidsPreempted,10} {r.ReleasedEarly,14} {r.PauseResumePause,9} {r.ReleasedUnderDemand,18}"));
        }

        writer.WriteLine(string.Create(c, $"{"lower bound",-12} {"-",9} {"$" + LowerBoundCostUsd.ToString("0.00", c),11} {LowerBoundGpuHours,10:0.00} {"-",13} {"-",8} {"-",10} {"-",14} {"-",9} {"-",18}"));
        writer.WriteLine(string.Create(c, $"cost ratio to lower bound: {CostRatio:0.00}"));
        writer.WriteLine(string.Create(c, $"naive cost ratio to lower bound: {NaiveCostRatio:0.00}"));
        writer.WriteLine(string.Create(c, $"churn: {Configured.ReleasedEarly} early release(s), {Configured.PauseResumePause} re-pause(s), {Configured.ReleasedUnderDemand} release(s) at demand"));
        writer.WriteLine((TargetMet ? "target met: " : "target missed: ") + TargetText);
    }

    private double Ratio(decimal cost) =>
        LowerBoundCostUsd > 0 ? (double)(cost / LowerBoundCostUsd) : cost == 0 ? 1 : double.PositiveInfinity;
}
