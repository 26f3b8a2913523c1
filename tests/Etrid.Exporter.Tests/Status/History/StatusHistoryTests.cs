using Etrid.Burst.Status;
using Etrid.Exporter.Status.History;

namespace Etrid.Exporter.Tests.Status.History;

public sealed class StatusHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_TakesOnePointPerSnapshot_WithItsFigures()
    {
        var history = new StatusHistory();

        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start, 100), null);
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddSeconds(6), 101), Burst(local: 48, desired: 16, running: 8, spend: 9.1m, committed: 12.5m, budget: 50m));

        var points = history.Read().Points;
        Assert.Equal(2, points.Count);
        // The fixture's figures: 23 pending, 4 processing, 12.5 s average wait, 8 active GPUs.
        Assert.Equal(new TrendPoint(1, Start, 100, 23, 4, 12.5, 8, null, null, null, null, null, null), points[0]);
        Assert.Equal(new TrendPoint(2, Start.AddSeconds(6), 101, 23, 4, 12.5, 8, 48, 16, 8, 9.1, 12.5, 50), points[1]);
    }

    [Fact]
    public void Record_AControllerThatIsOff_LeavesTheBurstMembersNull()
    {
        var history = new StatusHistory();

        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start, 100), BurstStatus.Disabled);

        var point = Assert.Single(history.Read().Points);
        Assert.Null(point.LocalGpus);
        Assert.Null(point.SpendUsdPerHour);
        Assert.Null(point.BudgetUsdPerHour);
    }

    [Fact]
    public void Record_SnapshotsWithinTheSpacing_ReplaceTheLastPoint_AndKeepItsNumber()
    {
        var history = new StatusHistory();

        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start, 100), null);
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddMilliseconds(400), 101), null);
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddMilliseconds(900), 102), null);
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddMilliseconds(1000), 103), null);

        var points = history.Read().Points;
        Assert.Equal([(1L, 102u), (2L, 103u)], points.Select(p => (p.Seq, p.Block)));
    }

    [Theory]
    [InlineData(1000, 6)] // a 6 s chain: one hour is 600 blocks
    [InlineData(10_000, 1)] // a 1 s chain: the capacity is the hour
    [InlineData(20_000, 0.25)] // faster than the spacing: a point a second
    public void Record_KeepsTheLastHour_AndNeverMoreThanTheCapacity(int snapshots, double secondsApart)
    {
        var history = new StatusHistory();
        for (var i = 0; i < snapshots; i++)
        {
            history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddSeconds(i * secondsApart), (uint)i), null);
        }

        var points = history.Read().Points;
        var newest = Start.AddSeconds((snapshots - 1) * secondsApart);
        Assert.Equal(newest, points[^1].At);
        Assert.True(points.Count <= StatusHistory.Capacity, $"{points.Count} points");
        Assert.True(points[0].At >= newest - TimeSpan.FromHours(1), $"oldest {points[0].At}");
        // At least the hour is there: the oldest point is within the spacing of an hour ago.
        Assert.True(points[0].At <= newest - TimeSpan.FromHours(1) + TimeSpan.FromSeconds(Math.Max(secondsApart, 1)), $"oldest {points[0].At}");
        Assert.True(points.Zip(points.Skip(1)).All(p => p.Second.Seq == p.First.Seq + 1 && p.Second.At > p.First.At));
    }

    [Fact]
    public void Decisions_ThatActed_AreRecordedOnce_HoldsAreNot()
    {
        var history = new StatusHistory();
        var create = Decision(Start, "create", "pending 57 > capacity 8 for 61 s");
        var hold = Decision(Start, "hold", "cooling down");
        var burst = Burst(decisions: [create, create, hold]);

        // The controller lists its last decisions every time: the same list read at three snapshots.
        for (var i = 0; i < 3; i++)
        {
            history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddSeconds(6 * i), (uint)(100 + i)), burst);
        }

        var pause = Decision(Start.AddSeconds(30), "pause", "surplus held 120 s");
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddSeconds(36), 110), burst with { Decisions = [create, create, hold, pause] });

        var decisions = history.Read().Decisions;
        Assert.Equal([(1L, "create"), (2L, "create"), (3L, "pause")], decisions.Select(d => (d.Seq, d.Action)));
        Assert.Equal("pending 57 > capacity 8 for 61 s", decisions[0].Reason);
        Assert.Equal(decisions, history.Latest()!.Decisions);
    }

    [Fact]
    public void Decisions_LongText_IsCut_AndOldDecisionsLeaveWithTheHour()
    {
        var history = new StatusHistory();
        var longReason = new string('r', 10_000);
        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start, 100), Burst(decisions: [Decision(Start, "create", longReason)]));

        Assert.Equal(StatusHistory.MaxTextLength, Assert.Single(history.Read().Decisions).Reason.Length);

        history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddMinutes(61), 700), Burst());
        Assert.Empty(history.Read().Decisions);
    }

    [Fact]
    public void Decisions_AreBounded_ByTheirCapacity()
    {
        var history = new StatusHistory();
        for (var i = 0; i < StatusHistory.DecisionCapacity + 50; i++)
        {
            history.Record(StatusFixtures.Snapshot(StatusFixtures.Figures(), Start.AddSeconds(i), (uint)i), Burst(decisions: [Decision(Start.AddSeconds(i), "create", "flapping")]));
        }

        var decisions = history.Read().Decisions;
        Assert.Equal(StatusHistory.DecisionCapacity, decisions.Count);
        Assert.Equal(StatusHistory.DecisionCapacity + 50, decisions[^1].Seq);
        Assert.Equal(StatusHistory.RecentDecisions, history.Latest()!.Decisions.Count);
    }

    private static BurstDecision Decision(DateTimeOffset at, string action, string reason) =>
        new() { At = at, Pool = "a100-pool", Action = action, ReasonCode = action == "hold" ? "cooldown" : "breach_sustained", Reason = reason };

    private static BurstStatus Burst(long local = 48, long desired = 0, long running = 0, decimal spend = 0, decimal committed = 0, decimal? budget = 50, IReadOnlyList<BurstDecision>? decisions = null) => new()
    {
        Enabled = true,
        Leading = true,
        LocalGpus = local,
        DesiredGpus = desired,
        CurrentGpus = running,
        SpendRateUsdPerHour = spend,
        CommittedUsdPerHour = committed,
        BudgetUsdPerHour = budget,
        Decisions = decisions ?? [],
    };
}
