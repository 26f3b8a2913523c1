using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;

namespace Etrid.Mithril.Tests.Support;

/// <summary>The snapshot seam as the follower would feed it: a hub on virtual time and snapshots published by hand.</summary>
internal sealed class ChainFeed(TimeProvider time, TimeSpan stalenessLimit)
{
    private uint _block;

    public ChainSnapshotHub Hub { get; } = new(stalenessLimit, time);

    /// <summary>Publishes fresh figures (connected, a finalized head now) with this queue.</summary>
    public void Publish(long pending, double averageWaitSeconds = 0, PendingQueueFigures? queue = null, long processing = 0)
    {
        var now = time.GetUtcNow();
        _block++;
        Hub.UpdateHealth(h => h with { Connected = true, LastFinalizedAt = now, FinalizedBlock = _block });
        Hub.Publish(new ChainSnapshot(_block, "0x" + _block.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), 1, now, new ChainFigures(
            new Dictionary<JobStatus, long> { [JobStatus.Pending] = pending, [JobStatus.Processing] = processing },
            averageWaitSeconds,
            0,
            [],
            new Dictionary<GpuStatus, long>(),
            0,
            (int)pending,
            0)
        { PendingQueue = queue ?? PendingQueueFigures.Empty }));
    }
}
