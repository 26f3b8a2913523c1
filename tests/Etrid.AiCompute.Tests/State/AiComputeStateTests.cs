using Etrid.AiCompute.Model;
using Etrid.AiCompute.State;

namespace Etrid.AiCompute.Tests.State;

public class AiComputeStateTests
{
    private static readonly byte[] ProviderA = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] ProviderB = Enumerable.Repeat((byte)2, 32).ToArray();
    private static readonly UInt128 OneEdsc = UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    private static AiComputeState NewState(ProviderDirectory? directory = null) => new(platformFeeBps: 500, directory ?? new ProviderDirectory(42), decimals: 18);

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
        state.RecordAssignment(570, 1); // waited 30
        state.SetJob(2, new Job(2, JobStatus.Processing, 1, 3, 0, null));
        state.RecordAssignment(12, 2); // outside the window at now 660
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
        var a = figures.Providers.Single(p => p.Address == Etrid.Substrate.Ss58.Ss58Address.Encode(ProviderA, 42));
        Assert.Equal((1, 1L), (a.RegisteredGpus, a.JobsCompleted));
        state.SetGpu(3, null);
        Assert.Single(state.Compute(60, 600).Providers);
    }

    [Fact]
    public void TheProviderDirectory_OutlivesAState_SoAFullSyncKeepsAttribution()
    {
        var directory = new ProviderDirectory(42);
        var before = NewState(directory);
        before.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        before.SetGpu(2, new GpuNode(2, ProviderA, GpuStatus.Active));

        // The next full sync sees GPU 1 unregistered, and the job completed on it.
        var after = NewState(directory);
        after.SetGpu(2, new GpuNode(2, ProviderA, GpuStatus.Active));
        after.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 6));
        var figures = after.Compute(60, 600);
        Assert.Equal(0, figures.UnattributedJobs);
        Assert.Equal(1, figures.Providers.Single().JobsCompleted);
    }

    [Fact]
    public void HugeAndSparseJobIds_AreKept_WithoutSizingAnythingFromThem()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Pending, 1, null, 0, null));
        state.SetJob(1UL << 40, new Job(1UL << 40, JobStatus.Pending, 2, null, 6, null));
        state.SetJob(ulong.MaxValue - 1, new Job(ulong.MaxValue - 1, JobStatus.Completed, 3, null, 0, 12));
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(2, state.Compute(60, 600).JobsByStatus[JobStatus.Pending]);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Equal(3, state.JobCount);
        Assert.Equal(2u, (uint)state.GetJob(1UL << 40)!.Value.Payment);
        Assert.Equal(ulong.MaxValue, state.NextExpectedJobId);
        state.SetJob(1UL << 40, null);
        Assert.Null(state.GetJob(1UL << 40));
        Assert.Equal(2, state.JobCount);
    }

    // A full sync lists ids before values: a huge listed id must not size the table, dense ones do, once.
    [Fact]
    public void ReservingListedIds_SizesNothingFromAHugeId_AndKeepsEveryJob()
    {
        var state = NewState();
        var ids = Enumerable.Range(0, 5000).Select(i => (ulong)i).Append(1UL << 40).ToList();
        var before = GC.GetAllocatedBytesForCurrentThread();
        state.ReserveJobs(ids);
        // Four bytes a job (its mark): records are kept only for jobs the figures read again.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 5000 * 4, 5000 * 4 * 2);
        foreach (var id in ids.AsEnumerable().Reverse())
        {
            state.SetJob(id, new Job(id, JobStatus.Completed, 1, null, 0, 6));
        }

        Assert.Equal(5001, state.JobCount);
        Assert.Equal(5001, state.Compute(60, 600).JobsByStatus[JobStatus.Completed]);
        Assert.Equal(JobStatus.Completed, state.StatusOf(1UL << 40));
        Assert.Equal(JobStatus.Completed, state.StatusOf(4999));
    }

    [Fact]
    public void FinishedJobs_KeepOnlyTheirMark_AndStillCountInTheWindow()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 60));
        state.SetJob(1, new Job(1, JobStatus.Failed, OneEdsc, 1, 0, 60));
        state.SetJob(2, new Job(2, JobStatus.Cancelled, OneEdsc, null, 0, null));
        state.SetJob(3, new Job(3, JobStatus.Processing, OneEdsc, 1, 0, null));
        Assert.Equal(1, state.RecordCount); // the running job
        Assert.Null(state.GetJob(0));
        Assert.Equal(60, state.Compute(600, 600).AverageDurationSeconds);
        Assert.True(double.IsNaN(state.Compute(6000, 600).AverageDurationSeconds));
        Assert.Equal(1, state.RecordCount);
        Assert.Equal(JobStatus.Completed, state.StatusOf(0));
        Assert.Equal(4, state.JobCount);
    }

    [Fact]
    public void ACompletedJobDisputedAfterItsRecordWent_MovesStatusOnly_AndStaysCompletedAndEarned()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        var completed = new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 60) { Priority = JobPriority.Premium, MaxComputeSeconds = 120 };
        state.SetJob(0, completed);
        state.Compute(6000, 600);
        Assert.Null(state.GetJob(0));

        state.SetJob(0, completed with { Status = JobStatus.Disputed });
        var figures = state.Compute(6006, 600);
        Assert.Equal(0, figures.JobsByStatus[JobStatus.Completed]);
        Assert.Equal(1, figures.JobsByStatus[JobStatus.Disputed]);
        var provider = Assert.Single(figures.Providers);
        Assert.Equal(1, provider.JobsCompleted);
        Assert.Equal(0.95, provider.EarningsEdsc, 12);
        Assert.Equal(0, state.InexactChanges);
        Assert.True(state.Holds(0, completed with { Status = JobStatus.Disputed }));
    }

    [Fact]
    public void ACompletionInTheWindow_TakenBackWithoutItsRecord_LeavesTheWindowExactly()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 500, 560));
        state.SetJob(1, new Job(1, JobStatus.Completed, OneEdsc, 1, 500, 590));
        Assert.Equal(75, state.Compute(600, 600).AverageDurationSeconds);

        // A re-org takes one back to processing: its completion time comes from the window, the rest from the new value.
        state.SetJob(1, new Job(1, JobStatus.Processing, OneEdsc, 1, 500, null));
        var figures = state.Compute(606, 600);
        Assert.Equal(60, figures.AverageDurationSeconds);
        Assert.Equal(1, figures.Providers.Single().JobsCompleted);
        Assert.Equal(0, state.InexactChanges);
    }

    [Fact]
    public void AFinishedJobWhoseLastingFieldsChange_AfterItsRecordWent_IsNamedInexact()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 60));
        state.Compute(6000, 600);
        state.SetJob(0, new Job(0, JobStatus.Disputed, 2 * OneEdsc, 1, 0, 60));
        Assert.Equal(1, state.InexactChanges);
        Assert.False(state.Holds(0, new Job(0, JobStatus.Disputed, OneEdsc, 1, 0, 60)));
    }

    [Fact]
    public void MoreJobsThanTheLimit_IsATypedError()
    {
        var state = new AiComputeState(500, new ProviderDirectory(42), 18, maxJobs: 2);
        state.SetJob(0, new Job(0, JobStatus.Pending, 1, null, 0, null));
        state.SetJob(1, new Job(1, JobStatus.Pending, 1, null, 0, null));
        Assert.Throws<JobLimitException>(() => state.SetJob(2, new Job(2, JobStatus.Pending, 1, null, 0, null)));
    }

    [Fact]
    public void PendingQueue_SumsWhatTheBurstControllerNeeds()
    {
        var state = NewState();
        state.SetJob(0, new Job(0, JobStatus.Pending, 10, null, 6, null) { Priority = JobPriority.Premium, ModelType = ModelType.LLM, MaxComputeSeconds = 600 });
        state.SetJob(1, new Job(1, JobStatus.Pending, 20, null, 30, null) { Priority = JobPriority.Economy, ModelType = ModelType.LLM, MaxComputeSeconds = 60 });
        state.SetJob(2, new Job(2, JobStatus.Processing, 40, 1, 0, null) { Priority = JobPriority.Premium, ModelType = ModelType.Custom, MaxComputeSeconds = 3600 });
        var q = state.Compute(60, 600).PendingQueue;
        Assert.Equal(1, q.ByPriority[JobPriority.Premium]);
        Assert.Equal(1, q.ByPriority[JobPriority.Economy]);
        Assert.Equal(0, q.ByPriority[JobPriority.Standard]);
        Assert.Equal(2, q.ByModelType[ModelType.LLM]);
        Assert.Equal(30, (int)q.TotalPaymentPlanck);
        Assert.Equal(660UL, q.TotalMaxComputeSeconds);
        Assert.Equal(54, q.OldestWaitSeconds);
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

    [Fact]
    public void AverageDuration_ManyCompletionsAtOneTime_FollowChangesAndLeaveTheWindowTogether()
    {
        var state = NewState();
        var random = new Random(7);
        var jobs = new List<Job>();
        for (ulong id = 0; id < 300; id++)
        {
            // Three completion times (two in the window at now 1200, one before it), submissions scattered.
            var completedAt = (id % 3) switch { 0 => 300UL, 1 => 660UL, _ => 1194UL };
            var job = new Job(id, JobStatus.Completed, 1, id % 5, (ulong)random.Next(0, (int)completedAt), completedAt);
            jobs.Add(job);
            state.SetJob(id, job);
        }

        // A re-org takes some completions back to processing, another disputes one (still counted), one job goes.
        for (var id = 0; id < 300; id += 7)
        {
            jobs[id] = jobs[id] with { Status = JobStatus.Processing, CompletedAt = null };
            state.SetJob((ulong)id, jobs[id]);
        }

        jobs[4] = jobs[4] with { Status = JobStatus.Disputed };
        state.SetJob(4, jobs[4]);
        state.SetJob(5, null);
        jobs.RemoveAt(5);

        double Expected(ulong windowStart)
        {
            var inWindow = jobs.Where(j => j.Status is JobStatus.Completed or JobStatus.Disputed && j.CompletedAt >= windowStart).ToList();
            return inWindow.Count == 0 ? double.NaN : inWindow.Average(j => (double)(j.CompletedAt!.Value - j.SubmittedAt));
        }

        Assert.Equal(Expected(0), state.Compute(600, 600).AverageDurationSeconds, 9);
        Assert.Equal(Expected(600), state.Compute(1200, 600).AverageDurationSeconds, 9);
        Assert.Equal(Expected(1194), state.Compute(1794, 600).AverageDurationSeconds, 9);
        Assert.True(double.IsNaN(state.Compute(1800, 600).AverageDurationSeconds));
    }

    [Fact]
    public void UnchangedProviderFigures_AreTheSameObjectInTheNextSnapshot_ChangedOnesAreNew()
    {
        var state = NewState();
        state.SetGpu(1, new GpuNode(1, ProviderA, GpuStatus.Active));
        state.SetGpu(2, new GpuNode(2, ProviderB, GpuStatus.Active));
        state.SetJob(0, new Job(0, JobStatus.Completed, OneEdsc, 1, 0, 6));
        var first = state.Compute(60, 600).Providers;
        var second = state.Compute(66, 600).Providers;
        Assert.Same(first[0], second[0]);
        Assert.Same(first[1], second[1]);

        state.SetJob(1, new Job(1, JobStatus.Completed, OneEdsc, 2, 0, 66));
        var third = state.Compute(72, 600).Providers;
        Assert.Same(first[0], third[0]);
        Assert.NotSame(first[1], third[1]);
        Assert.Equal((1, 1), (third[0].JobsCompleted, third[1].JobsCompleted));
        Assert.Equal(0, first[1].JobsCompleted);
    }
}
