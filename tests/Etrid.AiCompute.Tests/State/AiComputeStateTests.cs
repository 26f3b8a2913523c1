using Etrid.AiCompute.Model;
using Etrid.AiCompute.State;

namespace Etrid.AiCompute.Tests.State;

public class AiComputeStateTests
{
    private static readonly byte[] ProviderA = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] ProviderB = Enumerable.Repeat((byte)2, 32).ToArray();
    private static readonly UInt128 OneEdsc = UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    private static AiComputeState NewState() => new(platformFeeBps: 500, ss58Format: 42, decimals: 18);

    [Fact]
    public void QueueDepth_CountsByStatus_AndFollowsChanges()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Pending, OneEdsc, null, 0, null));
        state.SetJob(1, new Job(1, JobStatus.Pending, OneEdsc, null, 0, null));
        state.SetJob(1, new Job(1, JobStatus.Processing, OneEdsc, 7, 0, null));
        var figures = state.Compute(60, 600);
        Assert.Equal(1, figures.JobsByStatus[JobStatus.Pending]);
        Assert.Equal(1, figures.JobsByStatus[JobStatus.Processing]);
        Assert.Equal(0, figures.JobsByStatus[JobStatus.Completed]);
    }

    [Fact]
    public void AverageWait_CountsPendingAndRecentAssignments_InPalletSeconds()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Pending, 1, null, 600, null));
        state.SetJob(1, new Job(1, JobStatus.Processing, 1, 3, 540, null));
        state.RecordAssignment(95, 1); // assigned at 570: waited 30
        state.SetJob(2, new Job(2, JobStatus.Processing, 1, 3, 0, null));
        state.RecordAssignment(2, 2); // assigned at 12, outside the window at now 660
        var figures = state.Compute(660, 600);
        Assert.Equal((60 + 30) / 2.0, figures.AverageWaitSeconds);
    }

    [Fact]
    public void AverageWait_IsZero_WhenNothingWaited()
    {
        Assert.Equal(0, NewState().Compute(600, 600).AverageWaitSeconds);
    }

    [Fact]
    public void AverageDuration_IsNaN_WithoutCompletionsInTheWindow()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Completed, 1, 1, 0, 6));
        Assert.Equal(6, state.Compute(600, 600).AverageDurationSeconds);
        Assert.True(double.IsNaN(state.Compute(6000, 600).AverageDurationSeconds));
    }

    [Fact]
    public void AverageDuration_OldCompletionDisputedLater_DoesNotReenterTheWindow()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Completed, 1, 1, 0, 6));
        state.SetJob(1, new Job(1, JobStatus.Completed, 1, 1, 5900, 5960));
        Assert.Equal(60, state.Compute(6000, 600).AverageDurationSeconds);
        state.SetJob(0, new Job(0, JobStatus.Disputed, 1, 1, 0, 6));
        Assert.Equal(60, state.Compute(6006, 600).AverageDurationSeconds);
    }

    [Fact]
    public void Utilization_IsBusyActiveGpusOverActiveGpus_AndNotClamped()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetGpu(2, new GpuNode(2, ProviderA, GpuStatus.Paused));
        state.SetJob(0, new Job(0, JobStatus.Processing, 1, 1, 0, null));
        state.SetJob(1, new Job(1, JobStatus.Processing, 1, 1, 0, null));
        state.SetJob(2, new Job(2, JobStatus.Processing, 1, 2, 0, null));
        var provider = Assert.Single(state.Compute(60, 600).Providers);
        Assert.Equal(200, provider.UtilizationPercent);
        Assert.Equal((2, 1, 2), (provider.RegisteredGpus, provider.ActiveGpus, provider.BusyGpus));
    }

    [Fact]
    public void CompletedAndEarnings_CountCompletedAndDisputed_LessTheFee()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 6));
        state.SetJob(1, new Job(1, JobStatus.Disputed, OneEdsc, 1, 0, 6));
        state.SetJob(2, new Job(2, JobStatus.Failed, OneEdsc, 1, 0, 6));
        var provider = Assert.Single(state.Compute(60, 600).Providers);
        Assert.Equal(2, provider.JobsCompleted);
        Assert.Equal(1.9, provider.EarningsEdsc, 12);
    }

    [Fact]
    public void UnregisteredGpu_KeepsAttribution_ButAProviderWithoutGpusLeaves()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetGpu(2, new GpuNode(2, ProviderA, GpuStatus.Active));
        state.SetGpu(3, new GpuNode(3, ProviderB, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 6));
        state.SetGpu(1, null);
        var figures = state.Compute(60, 600);
        Assert.Equal(1, figures.Providers.Single(p => p.RegisteredGpus == 1 && p.JobsCompleted == 1).JobsCompleted);
        state.SetGpu(3, null);
        Assert.Single(state.Compute(60, 600).Providers);
    }

    [Fact]
    public void CompletedJobOnUnknownGpu_IsCountedAsUnattributed()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Completed, 1, 42, 0, 6));
        Assert.Equal(1, state.Compute(60, 600).UnattributedJobs);
    }

    [Fact]
    public void JobsPerActiveGpu_IsPendingPlusProcessingOverActive()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetGpu(2, new GpuNode(2, ProviderA, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Pending, 1, null, 0, null));
        state.SetJob(1, new Job(1, JobStatus.Pending, 1, null, 0, null));
        state.SetJob(2, new Job(2, JobStatus.Processing, 1, 1, 0, null));
        Assert.Equal(1.5, state.Compute(60, 600).JobsPerActiveGpu);
    }
}
