using Etrid.Simulation.Tests.Running;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Tests.Bounds;

/// <summary>The bound of the simulated short day (end to end: it reads the day both policies ran).</summary>
[Trait("Category", "EndToEnd")]
[Collection(SimulatedDay.Name)]
public sealed class SimulatedDayBoundTests(SimulationFixture fixture)
{
    [Fact]
    public void TheReportsBound_MatchesAnIndependentReplay()
    {
        var report = fixture.Report;
        var threshold = (int)report.WaitThreshold.TotalSeconds;

        // Independent replay: the local GPUs as a sorted array of free times, first come first served.
        var free = new List<long>(Enumerable.Repeat(0L, report.LocalGpus));
        double cloudSeconds = 0;
        var cost = 0m;
        foreach (var job in report.Jobs)
        {
            free.Sort();
            var start = Math.Max(free[0], job.ArrivalSeconds);
            if (start - job.ArrivalSeconds <= threshold)
            {
                free[0] = start + job.DurationSeconds;
            }
            else
            {
                cloudSeconds += job.DurationSeconds;
                var minute = Math.Min(report.SpotUsdPerGpuHourByMinute.Count - 1, (job.ArrivalSeconds + threshold) / 60);
                cost += job.DurationSeconds * report.SpotUsdPerGpuHourByMinute[minute] / 3600m;
            }
        }

        Assert.True(cloudSeconds > 0, "the surge needs the cloud");
        Assert.Equal(Math.Round(cloudSeconds / 3600, 2), report.LowerBoundGpuHours);
        Assert.Equal(decimal.Round(cost, 2), report.LowerBoundCostUsd);
    }

    [Fact]
    public void TheBound_IsBelowWhatEitherPolicyPaid() =>
        Assert.True(fixture.Report.LowerBoundCostUsd <= fixture.Report.Configured.CloudCostUsd
            && fixture.Report.LowerBoundCostUsd <= fixture.Report.Naive.CloudCostUsd);
}
