using Etrid.Burst.Policy;

namespace Etrid.Mithril.Tests.Policy;

public sealed class WaitAwareDemandTests
{
    // Queue rule at 2 jobs a GPU, 1 once due; due at 300 − 120 = 180 s; nothing released from 60 s of wait on.
    private static readonly WaitAwareSettings On = new()
    {
        TargetJobsPerGpu = 2,
        UrgentJobsPerGpu = 1,
        WaitThreshold = TimeSpan.FromSeconds(300),
        WaitLead = TimeSpan.FromSeconds(120),
        ReleaseBelowWait = TimeSpan.FromSeconds(60),
    };

    [Theory]
    // jobs, local, oldest wait, GPUs, due, holds
    [InlineData(40, 4, 0.0, 16, false, false)] // young queue: ceil(40 / 2) − 4
    [InlineData(40, 4, 59.0, 16, false, false)]
    [InlineData(40, 4, 60.0, 16, false, true)] // old enough to hold capacity, not yet due
    [InlineData(40, 4, 179.0, 16, false, true)]
    [InlineData(40, 4, 180.0, 36, true, true)] // due: 40 / 1 − 4
    [InlineData(40, 50, 400.0, 0, true, true)] // local capacity covers even the urgent figure
    [InlineData(0, 4, 400.0, 0, false, false)] // no job: nothing to be due or to hold for
    public void BurstGpus_FollowsTheOldestWait(long jobs, long local, double oldest, long gpus, bool due, bool holds) =>
        Assert.Equal(new WaitAwareDemandResult(gpus, due, holds), WaitAwareDemand.BurstGpus(jobs, local, oldest, On));

    [Fact]
    public void BurstGpus_UnknownOldestWait_IsTheQueueRuleAlone() =>
        Assert.Equal(new WaitAwareDemandResult(16, false, false), WaitAwareDemand.BurstGpus(40, 4, null, On));

    [Theory]
    [InlineData(1000.0)]
    [InlineData(0.0)]
    public void BurstGpus_RuleOff_IsTheQueueRuleAlone(double oldest)
    {
        var off = new WaitAwareSettings { TargetJobsPerGpu = 2, WaitThreshold = TimeSpan.FromSeconds(300) };

        Assert.Equal(new WaitAwareDemandResult(16, false, false), WaitAwareDemand.BurstGpus(40, 4, oldest, off));
    }

    [Theory]
    // jobs, local, oldest wait (null = unknown), GPUs kept from a release at 1 job a GPU
    [InlineData(40, 4, 0.0, 36)]
    [InlineData(40, 4, null, 36)]
    [InlineData(40, 50, 0.0, 0)]
    [InlineData(0, 4, 0.0, 0)]
    public void BurstGpus_ReleaseJobsPerGpu_KeepsTheQueueAtThatRate(long jobs, long local, double? oldest, long keep)
    {
        var band = new WaitAwareSettings { TargetJobsPerGpu = 2, ReleaseJobsPerGpu = 1 };

        var result = WaitAwareDemand.BurstGpus(jobs, local, oldest, band);

        Assert.Equal(keep, result.KeepGpus);
        Assert.Equal(Math.Max(0, ((jobs + 1) / 2) - local), result.Gpus);
    }

    [Fact]
    public void BurstGpus_NoReleaseBand_KeepsNothing() =>
        Assert.Equal(0L, WaitAwareDemand.BurstGpus(40, 4, 0, On).KeepGpus);

    [Fact]
    public void BurstGpus_UrgentRateAboveTheTarget_NeverAsksLessThanTheQueueRule()
    {
        var inverted = On with { UrgentJobsPerGpu = 4 };

        Assert.Equal(16, WaitAwareDemand.BurstGpus(40, 4, 200, inverted).Gpus);
    }

    [Fact]
    public void Decide_Due_ScalesUpWithoutWaitingForScaleUpAfter()
    {
        var now = DateTimeOffset.UnixEpoch;

        var decision = ScaleGate.Decide(new GateInput { DesiredGpus = 12, CurrentGpus = 4, StepGpus = 4, Due = true }, GateState.Initial, now, new GateSettings());

        Assert.Equal((12L, ReasonCodes.WaitDue), (decision.TargetGpus, decision.Code));
    }
}
