using Etrid.Burst.Options;
using Etrid.Burst.Startup;

namespace Etrid.Burst.Market;

/// <summary>
/// A spot-capacity market the burst controller rents GPU nodes from: the seam between the provider-neutral
/// controller and one provider (Mithril's marketplace, a cloud's spot instances). One bid (or spot request) asks
/// for one node of one instance type at a limit price; the controller names its bids and finds them again by
/// name, so the market's own listing is the only record of what was placed. Every call may fail with a
/// <see cref="CapacityMarketException"/>; the controller then holds or backs off, and the next tick starts over.
/// </summary>
public interface ICapacityMarket
{
    /// <summary>What the market can do beyond create, list and cancel.</summary>
    MarketCapabilities Capabilities { get; }

    /// <summary>Where bids are placed (account, region, access keys): part of every bid's configuration hash.</summary>
    MarketPlacement Placement { get; }

    /// <summary>
    /// The start-up check against the live market, every problem at once (credentials, account, each pool's
    /// instance type with its GPU count, quotas), each problem naming the key under <paramref name="path"/>.
    /// Never throws for a market failure: it becomes a problem.
    /// </summary>
    Task<StartupReport> CheckAsync(IReadOnlyList<PoolOptions> pools, string path, CancellationToken cancellationToken);

    /// <summary>The instance types on offer with their GPU counts.</summary>
    Task<IReadOnlyList<MarketInstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken);

    /// <summary>The bids of this instance type in the placement's scope (every page), whoever named them; terminated ones may be included.</summary>
    Task<IReadOnlyList<MarketBid>> ListBidsAsync(string instanceType, CancellationToken cancellationToken);

    /// <summary>The nodes of these bids (any status).</summary>
    Task<IReadOnlyList<MarketNode>> ListNodesAsync(IReadOnlyCollection<string> bidIds, CancellationToken cancellationToken);

    /// <summary>The current spot price of the instance type in US cents per instance-hour, or null when the market quotes none.</summary>
    Task<long?> GetSpotPriceCentsAsync(string instanceType, CancellationToken cancellationToken);

    /// <summary>
    /// Places one bid. When the outcome is unknown (a timeout after sending) the market looks the name up before
    /// placing again, so one name is at most one bid.
    /// </summary>
    Task CreateBidAsync(MarketBidRequest request, CancellationToken cancellationToken);

    /// <summary>Pauses a bid, keeping its boot disk; only called when <see cref="MarketCapabilities.SupportsPause"/>.</summary>
    Task PauseBidAsync(string bidId, CancellationToken cancellationToken);

    /// <summary>Resumes a paused bid; only called when <see cref="MarketCapabilities.SupportsPause"/>.</summary>
    Task ResumeBidAsync(string bidId, CancellationToken cancellationToken);

    /// <summary>Cancels a bid: true when cancelled now, false when it was already gone.</summary>
    Task<bool> CancelBidAsync(string bidId, CancellationToken cancellationToken);
}
