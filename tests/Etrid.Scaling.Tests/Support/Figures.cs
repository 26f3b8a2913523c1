using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;

namespace Etrid.Scaling.Tests.Support;

/// <summary>Hand-made figures and snapshots for unit tests.</summary>
internal static class Figures
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 15, 10, 42, 6, TimeSpan.Zero);

    public static ChainFigures Make(long pending = 23, double wait = 12.5, double duration = 300, double jobsPerGpu = 1.75, params ProviderFigures[] providers) => new(
        new Dictionary<JobStatus, long>
        {
            [JobStatus.Pending] = pending,
            [JobStatus.Processing] = 4,
            [JobStatus.Completed] = 100,
            [JobStatus.Failed] = 2,
            [JobStatus.Disputed] = 1,
            [JobStatus.Cancelled] = 3,
        },
        wait,
        duration,
        providers,
        new Dictionary<GpuStatus, long>
        {
            [GpuStatus.Active] = 8,
            [GpuStatus.Paused] = 2,
            [GpuStatus.Offline] = 1,
            [GpuStatus.Slashed] = 0,
        },
        jobsPerGpu,
        (int)pending,
        0);

    public static ChainSnapshot Snapshot(ChainFigures figures, DateTimeOffset observedAt, uint block = 100) =>
        new(block, "0x" + block.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), 1, observedAt, figures);

    /// <summary>A hub holding one fresh snapshot at <paramref name="time"/>'s now.</summary>
    public static ChainSnapshotHub FreshHub(TimeProvider time, ChainFigures figures, uint block = 100)
    {
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60), time);
        hub.UpdateHealth(h => h with { Connected = true, LastFinalizedAt = time.GetUtcNow(), FinalizedBlock = block });
        hub.Publish(Snapshot(figures, time.GetUtcNow(), block));
        return hub;
    }
}
