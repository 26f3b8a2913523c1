using Etrid.Simulation.Reporting;

namespace Etrid.Simulation.Tests.Running;

/// <summary>The simulation end to end: the dev market over HTTP, both policies, the report.</summary>
[Trait("Category", "EndToEnd")]
[Collection(SimulatedDay.Name)]
public sealed class BurstSimulationTests(SimulationFixture fixture)
{
    private SimulationReport Report => fixture.Report;

    [Fact]
    public async Task SameSeed_SameReport()
    {
        var again = await BurstSimulation.RunAsync(ShortDay.Settings(), CancellationToken.None);

        Assert.Equal(Report.Configured, again.Configured);
        Assert.Equal(Report.Naive, again.Naive);
        Assert.Equal(Report.LowerBoundCostUsd, again.LowerBoundCostUsd);
        Assert.Equal(Table(Report), Table(again));
    }

    [Fact]
    public void OtherSeed_OtherDay()
    {
        var a = BurstSimulation.Trace(ShortDay.Settings(seed: 7));
        var b = BurstSimulation.Trace(ShortDay.Settings(seed: 8));
        Assert.NotEqual(a.Select(j => (j.ArrivalSeconds, j.DurationSeconds)), b.Select(j => (j.ArrivalSeconds, j.DurationSeconds)));
    }

    [Theory]
    [InlineData("configured")]
    [InlineData("naive")]
    public void TheLoop_RentsCapacityInTheSurge_AndReleasesItAfter(string policy)
    {
        var result = policy == "naive" ? Report.Naive : Report.Configured;

        Assert.True(result.BidsCreated > 0, "bids were placed");
        Assert.True(result.PeakCloudGpus >= 4, $"cloud GPUs ran jobs (peak {result.PeakCloudGpus})");
        Assert.True(result.GpuHoursRented > 0 && result.CloudCostUsd > 0);
        Assert.Equal(0, result.CloudGpusAtEnd);
        Assert.Equal(0, result.LiveBidsAtEnd);
        Assert.Equal(Report.Jobs.Count, result.JobsStarted);
    }

    [Fact]
    public void TheConfiguredPolicy_DoesNotChurn()
    {
        Assert.Equal(0, Report.Configured.ReleasedEarly);
        Assert.Equal(0, Report.Configured.PauseResumePause);
        Assert.Equal(0, Report.Configured.ReleasedUnderDemand);
        Assert.Contains("churn: 0 early release(s), 0 re-pause(s), 0 release(s) at demand", Table(Report), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConfiguredPolicy_PausesAndResumes_TheNaiveOneNever()
    {
        Assert.Equal(0, Report.Naive.BidsResumed);
        Assert.True(Report.Configured.BidsCreated + Report.Configured.BidsResumed > 0);
    }

    [Fact]
    public void WriteTable_PrintsEveryColumn_AndTheRatioLine()
    {
        var table = Table(Report);
        foreach (var column in new[] { "p95 wait", "cloud cost", "GPU-hours", "bids created", "resumed", "preempted", "early release", "re-pause", "release at demand", "lower bound" })
        {
            Assert.Contains(column, table, StringComparison.Ordinal);
        }

        var ratio = (double)(Report.Configured.CloudCostUsd / Report.LowerBoundCostUsd);
        Assert.Contains($"cost ratio to lower bound: {ratio.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, 19)] // ⌈0.95 × 20⌉ = 19th smallest
    [InlineData(100, 95)]
    [InlineData(1, 1)]
    public void Percentile_IsTheNearestRank(int count, int expected) =>
        Assert.Equal(expected, Etrid.Simulation.Running.PolicyRun.Percentile(Enumerable.Range(1, count).ToList(), 0.95));

    [Fact]
    public void P95Wait_LiesWithinTheDay() =>
        Assert.InRange(Report.Configured.P95WaitSeconds, 1, Report.Duration.TotalSeconds);

    private static string Table(SimulationReport report)
    {
        using var writer = new StringWriter();
        report.WriteTable(writer);
        return writer.ToString();
    }
}
