using Etrid.Burst.Market;
using Etrid.Burst.Naming;

namespace Etrid.Burst.Policy;

/// <summary>
/// Joins each tick's listing with what the controller remembers about a bid: since when it has been
/// Open (for the allocation timeout) and since when Allocated (for <c>kill_unknown_after</c>). Bids it
/// does not own are never returned; bids gone from the listing are forgotten. After a restart the
/// clocks start at the first listing, which errs on the side of waiting.
/// </summary>
public sealed class BidTracker
{
    private readonly string _baseName;
    private readonly Dictionary<string, (BidStatus Status, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Instance, DateTimeOffset Since)> _runningSince = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ranSinceAllocated = new(StringComparer.Ordinal);

    public BidTracker(string baseName) => _baseName = baseName;

    /// <summary>Forgets every clock, as a new process would (a new leadership term observes afresh).</summary>
    public void Forget()
    {
        _seen.Clear();
        _runningSince.Clear();
        _ranSinceAllocated.Clear();
    }

    /// <summary>The pool's owned, non-terminated bids as observed now, with their instances' state.</summary>
    public IReadOnlyList<ObservedBid> Observe(IReadOnlyList<MarketBid> listing, IReadOnlyList<MarketNode> instances, string currentHash8, DateTimeOffset now)
    {
        // The running instance of each bid: a node's clock belongs to the instance, so a bid re-allocated on a new one starts over.
        var running = instances.Where(i => i.Running && i.BidId is not null)
            .GroupBy(i => i.BidId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Id).Order(StringComparer.Ordinal).First(), StringComparer.Ordinal);
        // A bid resumed (or re-allocated) on a new instance still lists its old one: the newest instance is the
        // bid's state (the stable sort keeps the listing's order among equal times, and the last one wins).
        var statusByBid = instances.Where(i => i.BidId is not null)
            .GroupBy(i => i.BidId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.CreatedAt).Last().StatusText, StringComparer.Ordinal);

        var observed = new List<ObservedBid>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bid in listing.Where(b => BidNaming.IsOwned(b.Name, _baseName) && b.Status != BidStatus.Terminated))
        {
            present.Add(bid.Id);

            // An unknown status is pending capacity: it takes the Open clock.
            var status = bid.Status == BidStatus.Unknown ? BidStatus.Open : bid.Status;
            var since = _seen.TryGetValue(bid.Id, out var last) && last.Status == status ? last.Since : now;
            _seen[bid.Id] = (status, since);
            DateTimeOffset? runningSince = null;
            if (status != BidStatus.Allocated)
            {
                _ranSinceAllocated.Remove(bid.Id);
            }

            if (status == BidStatus.Allocated && running.TryGetValue(bid.Id, out var instance))
            {
                _ranSinceAllocated.Add(bid.Id);
                runningSince = _runningSince.TryGetValue(bid.Id, out var first) && first.Instance == instance ? first.Since : now;
                _runningSince[bid.Id] = (instance, runningSince.Value);
            }
            else
            {
                _runningSince.Remove(bid.Id);
            }

            observed.Add(new ObservedBid
            {
                Fid = bid.Id,
                Name = bid.Name,
                Status = bid.Status,
                IsCurrent = BidNaming.IsCurrent(bid.Name, _baseName, currentHash8),
                CreatedAt = bid.CreatedAt,
                LimitCents = bid.LimitCents ?? 0,
                OpenSince = status == BidStatus.Open ? since : null,
                AllocatedSince = status == BidStatus.Allocated ? since : null,
                InstanceRunning = running.ContainsKey(bid.Id),
                RunningSince = runningSince,
                RanSinceAllocated = _ranSinceAllocated.Contains(bid.Id),
                InstanceStatus = statusByBid.GetValueOrDefault(bid.Id),
            });
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
            _runningSince.Remove(gone);
            _ranSinceAllocated.Remove(gone);
        }

        return observed;
    }
}
