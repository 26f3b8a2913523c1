using System.Diagnostics;
using System.Globalization;
using Etrid.Simulation;
using Etrid.Simulation.Settings;

namespace Etrid.Bench;

/// <summary>
/// Issue 8's figures: the simulated bursty day for several seeds under the default policy and the seed's naive
/// one, against the instant-provisioning cost lower bound (a table of its own, after the timing table).
/// </summary>
internal static class SimulationBenchmarks
{
    public static async Task RunAsync(TextWriter report, IReadOnlyList<int> seeds)
    {
        var rows = new List<string>();
        var met = 0;
        foreach (var seed in seeds)
        {
            var started = Stopwatch.GetTimestamp();
            var r = await BurstSimulation.RunAsync(new SimulationSettings { Seed = seed }, CancellationToken.None);
            var wall = Stopwatch.GetElapsedTime(started);
            met += r.TargetMet ? 1 : 0;
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {seed} | {r.Jobs.Count} | {r.Configured.P95WaitSeconds:0} s | ${r.Configured.CloudCostUsd:0.00} | {r.Configured.GpuHoursRented:0.0} | {r.Configured.BidsCreated} / {r.Configured.BidsResumed} / {r.Configured.BidsPreempted} | {r.Configured.ReleasedEarly} / {r.Configured.PauseResumePause} / {r.Configured.ReleasedUnderDemand} | {r.Naive.P95WaitSeconds:0} s | ${r.Naive.CloudCostUsd:0.00} | {r.Naive.BidsCreated} | ${r.LowerBoundCostUsd:0.00} ({r.LowerBoundGpuHours:0.0} GPU-h) | **{r.CostRatio:0.00}** | {r.NaiveCostRatio:0.00} | {(r.TargetMet ? "yes" : "no")} | {wall.TotalSeconds:0} s |"));
        }

        report.WriteLine();
        report.WriteLine("| Seed | Jobs | p95 wait | Cost | GPU-h | Created / resumed / preempted | Early release / re-pause / release at demand | Naive p95 | Naive cost | Naive created | Lower bound | Ratio | Naive ratio | Target | Wall |");
        report.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            report.WriteLine(row);
        }

        report.WriteLine();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Target met for {met} of {seeds.Count} seeds ({Etrid.Simulation.Reporting.SimulationReport.TargetText})."));
    }
}
