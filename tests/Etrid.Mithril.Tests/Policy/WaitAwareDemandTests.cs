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
