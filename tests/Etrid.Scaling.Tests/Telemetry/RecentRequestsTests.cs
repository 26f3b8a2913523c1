using Etrid.Scaling.Telemetry;

namespace Etrid.Scaling.Tests.Telemetry;

public sealed class RecentRequestsTests
{
    private static ScalingRequest Request(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "data", $"m{i}", "200", "u", i);

    [Fact]
    public void Snapshot_WhenEmpty_IsEmpty()
    {
        var ring = new RecentRequests(3);
        Assert.Empty(ring.Snapshot());
        Assert.Equal(0, ring.Total);
    }

    [Fact]
    public void Snapshot_BelowCapacity_ListsAllNewestFirst()
    {
        var ring = new RecentRequests(3);
        ring.Add(Request(1));
        ring.Add(Request(2));
        Assert.Equal(["m2", "m1"], ring.Snapshot().Select(r => r.Metric));
    }

    [Fact]
    public void Snapshot_PastCapacity_KeepsOnlyTheLastNewestFirst_AndCountsAll()
    {
        var ring = new RecentRequests(3);
        for (var i = 1; i <= 7; i++)
        {
            ring.Add(Request(i));
        }

        Assert.Equal(["m7", "m6", "m5"], ring.Snapshot().Select(r => r.Metric));
        Assert.Equal(7, ring.Total);
    }

    [Fact]
    public void Add_FromManyThreads_NeverExceedsCapacity_AndCountsEveryOne()
    {
        var ring = new RecentRequests(5);
        Parallel.For(0, 1000, i => ring.Add(Request(i)));
        Assert.Equal(5, ring.Snapshot().Count);
        Assert.Equal(1000, ring.Total);
    }

    [Fact]
    public void Constructor_WithNoRoom_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new RecentRequests(0));
}
