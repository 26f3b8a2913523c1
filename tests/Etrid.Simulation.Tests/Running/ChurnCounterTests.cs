using Etrid.Mithril.Models;
using Etrid.Simulation.Running;

namespace Etrid.Simulation.Tests.Running;

/// <summary>The churn columns count what the market's books show, and only that.</summary>
public sealed class ChurnCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, int> Gpus = new() { ["it_a"] = 4 };

    private static Bid Bid(string fid, BidStatus status, DateTimeOffset created) =>
        new() { Fid = fid, Name = "n-" + fid, StatusText = status.ToString(), InstanceType = "it_a", CreatedAt = created };

    private static Instance Running(string bid) => new() { Fid = "in-" + bid, Bid = bid, StatusText = "STATUS_RUNNING" };

    [Fact]
    public void ARunningNodeReleasedSoonAfterCreation_WhileDemandCoversIt_CountsTwice()
    {
        var churn = new ChurnCounter(TimeSpan.FromMinutes(2), targetJobsPerGpu: 1, Gpus);
        var bid = Bid("b1", BidStatus.Allocated, T0);

        // 4 jobs pending for 4 GPUs held: demand is at capacity; the node is paused 90 s after its creation.
        churn.Before([bid], [Running("b1")], demandJobs: 4, localGpus: 0);
        churn.After([bid with { StatusText = nameof(BidStatus.Paused) }], T0.AddSeconds(90));

        Assert.Equal(1, churn.ReleasedEarly);
        Assert.Equal(1, churn.ReleasedUnderDemand);
        Assert.Equal(0, churn.PauseResumePause);
    }

    [Fact]
    public void ALateRelease_BelowDemand_IsNoChurn()
    {
        var churn = new ChurnCounter(TimeSpan.FromMinutes(2), targetJobsPerGpu: 1, Gpus);
        var bid = Bid("b1", BidStatus.Allocated, T0);

        churn.Before([bid], [Running("b1")], demandJobs: 3, localGpus: 0);
        churn.After([bid with { StatusText = nameof(BidStatus.Terminated) }], T0.AddMinutes(10));

        Assert.Equal((0, 0, 0), (churn.ReleasedEarly, churn.ReleasedUnderDemand, churn.PauseResumePause));
    }

    [Fact]
    public void PauseResumePause_WithinScaleDownAfter_IsOneCycle_AndLaterIsNone()
    {
        var churn = new ChurnCounter(TimeSpan.FromMinutes(2), targetJobsPerGpu: 1, Gpus);
        var allocated = Bid("b1", BidStatus.Allocated, T0);
        var paused = allocated with { StatusText = nameof(BidStatus.Paused) };
        var open = allocated with { StatusText = nameof(BidStatus.Open) };

        churn.Before([allocated], [], 0, 0);
        churn.After([paused], T0.AddMinutes(10));
        churn.Before([paused], [], 0, 0);
        churn.After([open], T0.AddMinutes(10.5)); // resumed
        churn.Before([open], [], 0, 0);
        churn.After([paused], T0.AddMinutes(11)); // paused again 60 s after the first pause
        Assert.Equal(1, churn.PauseResumePause);

        churn.Before([paused], [], 0, 0);
        churn.After([open], T0.AddMinutes(12));
        churn.Before([open], [], 0, 0);
        churn.After([paused], T0.AddMinutes(20)); // 9 min after the last pause
        Assert.Equal(1, churn.PauseResumePause);
    }
}
