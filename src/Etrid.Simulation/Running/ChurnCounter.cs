using Etrid.Mithril.Models;

namespace Etrid.Simulation.Running;

/// <summary>
/// Counts churn from the market's own books around each policy tick, without asking the policy what it did:
/// bids given back (paused or cancelled) within <c>scale_down_after</c> of their creation, pause → resume →
/// pause cycles within <c>scale_down_after</c>, and running nodes given back while the queue's demand was at or
/// above the capacity held. The same counter serves both policies.
/// </summary>
internal sealed class ChurnCounter(TimeSpan scaleDownAfter, double targetJobsPerGpu, IReadOnlyDictionary<string, int> gpusByType)
{
    private readonly Dictionary<string, DateTimeOffset> _lastPause = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resumedSincePause = new(StringComparer.Ordinal);
    private Dictionary<string, Bid> _before = [];
    private HashSet<string> _runningBefore = [];
    private long _demandGpus;
    private long _capacityGpus;

    /// <summary>Bids released within <c>scale_down_after</c> of creation.</summary>
    public int ReleasedEarly { get; private set; }

    /// <summary>Pause → resume → pause within <c>scale_down_after</c>.</summary>
    public int PauseResumePause { get; private set; }

    /// <summary>Running nodes released while demand was at or above capacity.</summary>
    public int ReleasedUnderDemand { get; private set; }

    /// <summary>The books before a tick: the bids, which of them run, and the queue's demand against capacity.</summary>
    public void Before(IReadOnlyList<Bid> bids, IReadOnlyList<Instance> instances, long demandJobs, long localGpus)
    {
        _before = bids.ToDictionary(b => b.Fid, StringComparer.Ordinal);
        _runningBefore = instances.Where(i => i.Status == InstanceStatus.Running && i.Bid is not null).Select(i => i.Bid!).ToHashSet(StringComparer.Ordinal);
        var needed = demandJobs <= 0 ? 0 : (long)Math.Ceiling(demandJobs / targetJobsPerGpu);
        _demandGpus = Math.Max(0, needed - localGpus);
        _capacityGpus = bids.Where(b => b.Status is BidStatus.Open or BidStatus.Allocated).Sum(b => (long)gpusByType.GetValueOrDefault(b.InstanceType));
    }

    /// <summary>The books after the tick: what changed was the policy's doing (the clock stood still).</summary>
    public void After(IReadOnlyList<Bid> bids, DateTimeOffset now)
    {
        foreach (var bid in bids)
        {
            if (!_before.TryGetValue(bid.Fid, out var was))
            {
                continue;
            }

            var wasLive = was.Status is not (BidStatus.Paused or BidStatus.Terminated);
            if (was.Status == BidStatus.Paused && bid.Status is not (BidStatus.Paused or BidStatus.Terminated))
            {
                _resumedSincePause.Add(bid.Fid);
            }

            if (!wasLive || bid.Status is not (BidStatus.Paused or BidStatus.Terminated))
            {
                continue;
            }

            if (now - bid.CreatedAt < scaleDownAfter)
            {
                ReleasedEarly++;
            }

            if (_runningBefore.Contains(bid.Fid) && _demandGpus >= _capacityGpus)
            {
                ReleasedUnderDemand++;
            }

            if (bid.Status == BidStatus.Paused)
            {
                if (_lastPause.TryGetValue(bid.Fid, out var last) && _resumedSincePause.Contains(bid.Fid) && now - last < scaleDownAfter)
                {
                    PauseResumePause++;
                }

                _lastPause[bid.Fid] = now;
                _resumedSincePause.Remove(bid.Fid);
            }
        }
    }
}
