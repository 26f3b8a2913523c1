using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Etrid.Burst.Startup;

namespace Etrid.Burst.Tests.Market;

/// <summary>
/// The smallest capacity provider: bids in a dictionary, allocated (with a running node) when the test says so,
/// and no pause. What a new provider implements, and all the controller needs of it.
/// </summary>
internal sealed class InMemoryCapacityMarket(TimeProvider time, params (string Id, int Gpus)[] types) : ICapacityMarket
{
    private readonly Dictionary<string, (MarketBid Bid, string InstanceType)> _bids = new(StringComparer.Ordinal);
    private const long SpotCents = 1000;
    private int _next;

    public MarketCapabilities Capabilities { get; } = new() { SupportsPause = false };

    public MarketPlacement Placement { get; } = new() { Account = "acct-1", Region = "test-1" };

    /// <summary>Every create, in order.</summary>
    public List<MarketBidRequest> Created { get; } = [];

    /// <summary>The bids as the market holds them.</summary>
    public IReadOnlyList<MarketBid> Bids => _bids.Values.Select(b => b.Bid).ToList();

    public IEnumerable<MarketBid> WithStatus(BidStatus status) => Bids.Where(b => b.Status == status);

    /// <summary>An auction round: every open bid wins, its node runs at once.</summary>
    public void Allocate()
    {
        foreach (var (id, entry) in _bids.ToList())
        {
            if (entry.Bid.Status == BidStatus.Open)
            {
                _bids[id] = entry with { Bid = entry.Bid with { Status = BidStatus.Allocated } };
            }
        }
    }

    public Task<StartupReport> CheckAsync(IReadOnlyList<PoolOptions> pools, string path, CancellationToken cancellationToken)
    {
        var gpus = types.ToDictionary(t => t.Id, t => t.Gpus, StringComparer.Ordinal);
        var problems = pools.Select((p, i) => (p, i)).Where(x => !gpus.ContainsKey(x.p.InstanceType)).Select(x => $"{path}.pool_details[{x.i}].instance_type: unknown ({x.p.InstanceType})").ToList();
        return Task.FromResult(new StartupReport(problems, [], gpus));
    }

    public Task<IReadOnlyList<MarketInstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MarketInstanceType>>(types.Select(t => new MarketInstanceType { Id = t.Id, Gpus = t.Gpus }).ToList());

    public Task<IReadOnlyList<MarketBid>> ListBidsAsync(string instanceType, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MarketBid>>(_bids.Values.Where(b => b.InstanceType == instanceType).Select(b => b.Bid).ToList());

    public Task<IReadOnlyList<MarketNode>> ListNodesAsync(IReadOnlyCollection<string> bidIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MarketNode>>(bidIds.Where(id => _bids.TryGetValue(id, out var b) && b.Bid.Status == BidStatus.Allocated)
            .Select(id => new MarketNode { Id = "node-" + id, BidId = id, Running = true, CreatedAt = _bids[id].Bid.CreatedAt, StatusText = "running" })
            .ToList());

    public Task<long?> GetSpotPriceCentsAsync(string instanceType, CancellationToken cancellationToken) => Task.FromResult<long?>(SpotCents);

    public Task CreateBidAsync(MarketBidRequest request, CancellationToken cancellationToken)
    {
        Created.Add(request);
        var id = $"req-{++_next}";
        _bids[id] = (new MarketBid { Id = id, Name = request.Name, Status = BidStatus.Open, CreatedAt = time.GetUtcNow(), LimitCents = request.LimitCents }, request.InstanceType);
        return Task.CompletedTask;
    }

    public Task PauseBidAsync(string bidId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this market cannot pause: the controller must not ask");

    public Task ResumeBidAsync(string bidId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this market cannot resume: the controller must not ask");

    public Task<bool> CancelBidAsync(string bidId, CancellationToken cancellationToken)
    {
        if (!_bids.TryGetValue(bidId, out var entry) || entry.Bid.Status == BidStatus.Terminated)
        {
            return Task.FromResult(false);
        }

        _bids[bidId] = entry with { Bid = entry.Bid with { Status = BidStatus.Terminated } };
        return Task.FromResult(true);
    }
}
