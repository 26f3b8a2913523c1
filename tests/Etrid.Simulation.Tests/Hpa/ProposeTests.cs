using Etrid.Simulation.Hpa;

namespace Etrid.Simulation.Tests.Hpa;

/// <summary>One metric's proposal, with the spec's worked examples (§2).</summary>
public sealed class ProposeTests
{
    [Theory]
    // 57 pending at 5 per worker → 12 (whatever runs now, outside the tolerance).
    [InlineData(57, 5, 2, 12)]
    [InlineData(57, 5, 40, 12)]
    // 23 pending → 5.
    [InlineData(23, 5, 2, 5)]
    // Within the tolerance: 10.5 per replica at 5 each on 2 replicas is ratio 1.05 → keep 2.
    [InlineData(10.5, 5, 2, 2)]
    // Wait time as AverageValue 30: a 120 s wait gives 4 whether 2 or 40 run (the reason for Value).
    [InlineData(120, 30, 2, 4)]
    [InlineData(120, 30, 40, 4)]
    [InlineData(0, 5, 10, 0)]
    public void AverageValue_ProposesCeilOfUsageOverTarget(double usage, double target, int replicas, int expected)
    {
        var metric = new HpaMetricSpec("m", null, MetricTargetType.AverageValue, target);

        var proposal = HpaModel.Propose(metric, MetricReading.Of((long)(usage * 1000)), replicas, replicas, replicas, 0.1);

        Assert.Equal(expected, proposal.Replicas);
    }

    [Theory]
    // 10 ready pods at 36 s against Value 30: ratio 1.2 → 12.
    [InlineData(36, 10, 10, 12)]
    // At 32 s: ratio 1.067 is within the tolerance → 10.
    [InlineData(32, 10, 10, 10)]
    // Proportional to the ready pods, not the spec's replicas.
    [InlineData(45, 10, 8, 12)]
    // From zero replicas: ceil(ratio).
    [InlineData(45, 0, 0, 2)]
    public void Value_ProposesRatioTimesReadyPods(double wait, int current, int ready, int expected)
    {
        var metric = new HpaMetricSpec("etrid_avg_job_wait_seconds", "pbc=ai-compute", MetricTargetType.Value, 30);

        var proposal = HpaModel.Propose(metric, MetricReading.Of((long)(wait * 1000)), current, current, ready, 0.1);

        Assert.Equal(expected, proposal.Replicas);
    }

    [Fact]
    public void FailedRead_IsAnInvalidProposal()
    {
        var proposal = HpaModel.Propose(new HpaMetricSpec("m", null, MetricTargetType.Value, 30), MetricReading.Failed("503 stale"), 3, 3, 3, 0.1);

        Assert.False(proposal.IsValid);
        Assert.Equal("503 stale", proposal.Error);
    }
}
