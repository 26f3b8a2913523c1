using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;
using Etrid.Exporter.Health;

namespace Etrid.Exporter.Tests.Health;

public class ReadinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static ChainSnapshot Snapshot(TimeSpan age) => new(10, "0xabc", 1, Now - age, new ChainFigures(
        Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L), 0, double.NaN, [], Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 0L), 0, 0, 0));

    private static ChainStatus Status(bool connected, TimeSpan? finalizedAgo)
    {
        var status = new ChainStatus { Connected = connected };
        if (finalizedAgo is { } ago)
        {
            status.FinalizedHead(10, Now - ago);
        }

        return status;
    }

    [Fact]
    public void ConnectedFreshAndSynced_IsReady() =>
        Assert.True(Readiness.Evaluate(Snapshot(TimeSpan.FromSeconds(5)), Status(true, TimeSpan.FromSeconds(5)), Now, Limit).Ready);

    [Fact]
    public void Disconnected_IsNotReady() =>
        Assert.Contains("not connected", Readiness.Evaluate(Snapshot(TimeSpan.Zero), Status(false, TimeSpan.Zero), Now, Limit).Reason, StringComparison.Ordinal);

    [Fact]
    public void NoSnapshotYet_IsSyncing() =>
        Assert.Contains("syncing", Readiness.Evaluate(null, Status(true, TimeSpan.Zero), Now, Limit).Reason, StringComparison.Ordinal);

    [Fact]
    public void NoFinalizedBlockForLongerThanTheLimit_IsStale() =>
        Assert.Contains("stale", Readiness.Evaluate(Snapshot(TimeSpan.Zero), Status(true, TimeSpan.FromSeconds(61)), Now, Limit).Reason, StringComparison.Ordinal);

    [Fact]
    public void OldFigures_AreStale() =>
        Assert.False(Readiness.Evaluate(Snapshot(TimeSpan.FromMinutes(5)), Status(true, TimeSpan.Zero), Now, Limit).Ready);

    [Fact]
    public void SchemaMismatch_IsNotReady_AndSaysWhy()
    {
        var status = Status(true, TimeSpan.Zero);
        status.SchemaMismatch = true;
        status.LastError = "JobMarketplace.Jobs: storage item not found";
        Assert.Contains("JobMarketplace.Jobs", Readiness.Evaluate(Snapshot(TimeSpan.Zero), status, Now, Limit).Reason, StringComparison.Ordinal);
    }
}
