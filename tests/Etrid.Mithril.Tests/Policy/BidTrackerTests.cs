using Etrid.Burst.Market;
using Etrid.Burst.Policy;
using Etrid.Mithril.Market;

namespace Etrid.Mithril.Tests.Policy;

public sealed class BidTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // Mithril's wire shapes, read as the market hands them to the controller.
    private static MarketBid Bid(string fid, string name, string status) => MithrilCapacityMarket.ToMarket(new Models.Bid
    {
        Fid = fid,
        Name = name,
        StatusText = status,
        LimitPrice = "$28.00",
        CreatedAt = T0,
    });

    private static MarketNode Node(string fid, string bid, string status) =>
        MithrilCapacityMarket.ToMarket(new Models.Instance { Fid = fid, Bid = bid, StatusText = status });

    [Fact]
    public void Observe_KeepsOnlyOwnedLiveBids_AndMarksTheCurrentHash()
    {
        var tracker = new BidTracker("etrid-h100");
        var listing = new[]
        {
            Bid("bid_1", "etrid-h100-aaaaaaaa-00001", "Open"),
            Bid("bid_2", "etrid-h100-bbbbbbbb-00002", "Paused"),
            Bid("bid_3", "etrid-h100-b-aaaaaaaa-00003", "Open"), // another pool's
            Bid("bid_4", "someone-else", "Allocated"),
            Bid("bid_5", "etrid-h100-aaaaaaaa-00005", "Terminated"),
        };

        var observed = tracker.Observe(listing, [], "aaaaaaaa", T0);

        Assert.Equal(["bid_1", "bid_2"], observed.Select(o => o.Fid));
        Assert.Equal([true, false], observed.Select(o => o.IsCurrent));
        Assert.Equal(2800, observed[0].LimitCents);
    }

    [Fact]
    public void Observe_ClocksRunPerStatusStint()
    {
        var tracker = new BidTracker("etrid-h100");
        const string name = "etrid-h100-aaaaaaaa-00001";
        tracker.Observe([Bid("bid_1", name, "Open")], [], "aaaaaaaa", T0);
        var stillOpen = tracker.Observe([Bid("bid_1", name, "Open")], [], "aaaaaaaa", T0.AddMinutes(5)).Single();
        var allocated = tracker.Observe([Bid("bid_1", name, "Allocated")], [], "aaaaaaaa", T0.AddMinutes(6)).Single();
        var running = tracker.Observe(
            [Bid("bid_1", name, "Allocated")],
            [Node("inst_1", "bid_1", "STATUS_RUNNING")],
            "aaaaaaaa",
            T0.AddMinutes(9)).Single();
        var openAgain = tracker.Observe([Bid("bid_1", name, "Open")], [], "aaaaaaaa", T0.AddMinutes(20)).Single();

        Assert.Equal(T0, stillOpen.OpenSince);
        Assert.Equal(T0.AddMinutes(6), allocated.AllocatedSince);
        Assert.Null(allocated.OpenSince);
        Assert.False(allocated.InstanceRunning);
        Assert.True(running.InstanceRunning);
        Assert.Equal(T0.AddMinutes(6), running.AllocatedSince);
        Assert.Equal(T0.AddMinutes(20), openAgain.OpenSince);
    }

    [Fact]
    public void Observe_ForgetsBidsThatLeftTheListing()
    {
        var tracker = new BidTracker("etrid-h100");
        const string name = "etrid-h100-aaaaaaaa-00001";
        tracker.Observe([Bid("bid_1", name, "Open")], [], "aaaaaaaa", T0);
        tracker.Observe([], [], "aaaaaaaa", T0.AddMinutes(1));

        var back = tracker.Observe([Bid("bid_1", name, "Open")], [], "aaaaaaaa", T0.AddMinutes(2)).Single();

        Assert.Equal(T0.AddMinutes(2), back.OpenSince);
    }

    [Fact]
    public void RunningSince_BelongsToTheInstance_ARunningReplacementStartsOver()
    {
        var tracker = new BidTracker("etrid-h100");
        var listing = new[] { Bid("bid_1", "etrid-h100-aaaaaaaa-00001", "Allocated") };
        MarketNode Running(string fid) => Node(fid, "bid_1", "STATUS_RUNNING");

        Assert.Equal(T0, tracker.Observe(listing, [Running("inst_1")], "aaaaaaaa", T0).Single().RunningSince);
        Assert.Equal(T0, tracker.Observe(listing, [Running("inst_1")], "aaaaaaaa", T0.AddMinutes(10)).Single().RunningSince);

        // Between two listings the bid was re-allocated on another instance: its node has run for no time at all.
        var later = T0.AddMinutes(20);
        var observed = tracker.Observe(listing, [Running("inst_2")], "aaaaaaaa", later).Single();
        Assert.Equal(later, observed.RunningSince);
        Assert.True(observed.RanSinceAllocated);
    }
}
