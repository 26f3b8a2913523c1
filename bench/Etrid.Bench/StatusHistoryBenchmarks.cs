using System.Runtime.CompilerServices;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Status;
using Etrid.Exporter.Status.History;

namespace Etrid.Bench;

/// <summary>
/// The status page's history at its bound: what it holds when full (points and decisions with the longest
/// texts), measured as the managed heap it keeps, and what recording one more point allocates.
/// </summary>
internal static class StatusHistoryBenchmarks
{
    public static void Run(TextWriter report)
    {
        var figures = new ChainFigures(
            new Dictionary<JobStatus, long> { [JobStatus.Pending] = 57, [JobStatus.Processing] = 48 },
            41.2,
            60,
            [],
            new Dictionary<GpuStatus, long> { [GpuStatus.Active] = 56 },
            1.0,
            57,
            0);
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var reason = new string('r', 10_000);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var history = new StatusHistory();

        // Ten hours of a 1 s chain, a decision (with a 10,000-character reason) every 10 s: far past both bounds.
        for (var i = 0; i < 36_000; i++)
        {
            var at = start.AddSeconds(i);
            var decisions = i % 10 == 0 ? new[] { new BurstDecision { At = at, Pool = "a100-pool", Action = "create", ReasonCode = "breach_sustained", Reason = reason } } : [];
            history.Record(new ChainSnapshot((uint)i, "0x00", 1, at, figures), new BurstStatus { Enabled = true, LocalGpus = 48, DesiredGpus = 16, CurrentGpus = 8, SpendRateUsdPerHour = 9.1m, CommittedUsdPerHour = 12.5m, BudgetUsdPerHour = 50, Decisions = decisions });
        }

        var full = GC.GetTotalMemory(forceFullCollection: true) - before;
        var held = history.Read();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var quiet = new BurstStatus { Enabled = true, LocalGpus = 48 };
        for (var i = 0; i < 10_000; i++)
        {
            history.Record(new ChainSnapshot(1, "0x00", 1, start.AddSeconds(36_000 + i), figures), quiet);
        }

        var perPoint = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 10_000.0;
        report.WriteLine($"| Status history, full: {held.Points.Count:N0} points of {Unsafe.SizeOf<TrendPoint>()} bytes and {held.Decisions.Count} decisions; managed heap kept | {full / 1024.0 / 1024.0:0.00} MB | | fixed, ≤ 1 MB |");
        report.WriteLine($"| Status history, allocated per point recorded (the snapshot itself included) | {perPoint:0} bytes | | |");
        GC.KeepAlive(history);
    }
}
