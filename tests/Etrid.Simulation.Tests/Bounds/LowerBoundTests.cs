using Etrid.Simulation.Bounds;
using Etrid.Simulation.Tests.Running;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Tests.Bounds;

public sealed class LowerBoundTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Compute_OnAHandMadeDay_MatchesTheHandComputation()
    {
        // One local GPU, threshold 60 s. Job 0 runs locally 0–100. Job 1 (t 10) could start at 100: 90 s > 60 s, so the
        // cloud runs it from 70 for 200 s. Job 2 (t 50) starts locally at 100 (50 s wait). Job 3 (t 200) waits for 100+300.
        var jobs = new[] { new SimJob(0, 0, 100), new SimJob(1, 10, 200), new SimJob(2, 50, 300), new SimJob(3, 200, 3600) };
        var prices = new[] { 2.00m, 3.00m, 3.00m, 3.00m, 3.00m };

        var (gpuHours, cost) = LowerBound.Compute(jobs, 1, TimeSpan.FromSeconds(60), prices);

        // Cloud: job 1 (200 s from t 70, minute 1 at $3) and job 3 (3600 s from t 260, minute 4 at $3).
        Assert.Equal((200 + 3600) / 3600.0, gpuHours, 9);
        Assert.Equal((200m / 3600m * 3.00m) + 3.00m, cost);
    }

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
