using Etrid.Simulation.Bounds;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Tests.Bounds;

public sealed class LowerBoundTests
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
}
