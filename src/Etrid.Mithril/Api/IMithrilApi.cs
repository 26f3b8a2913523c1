using Etrid.Mithril.Models;

namespace Etrid.Mithril.Api;

/// <summary>
/// The Mithril API v2 calls the burst controller makes: the seam to the marketplace. Failures are
/// <see cref="Errors.MithrilException"/>s (API errors with their <c>detail</c>, unavailability, refused responses).
/// </summary>
public interface IMithrilApi
{
    /// <summary><c>GET /v2/me</c>: who the key belongs to (the credential check).</summary>
    Task<AccountInfo> GetMeAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /v2/projects</c>.</summary>
    Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /v2/ssh-keys?project=</c>.</summary>
    Task<IReadOnlyList<SshKey>> ListSshKeysAsync(string project, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/quotas?project=</c>: the Spot quota gates scale-up.</summary>
    Task<IReadOnlyList<Quota>> ListQuotasAsync(string project, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/instance-types</c>: machine shapes with their GPU counts.</summary>
    Task<IReadOnlyList<InstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /v2/spot/availability</c>: one auction per (instance type, region).</summary>
    Task<IReadOnlyList<SpotAuction>> ListSpotAvailabilityAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /v2/pricing/current?instance_type=&amp;region=&amp;instance_quantity=1</c>: prices in cents per instance-hour.</summary>
    Task<CurrentPrices> GetCurrentPricesAsync(string instanceType, string? region, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/spot/bids</c> with the filters, every page followed (bounded by the options' page limit).</summary>
    Task<IReadOnlyList<Bid>> ListBidsAsync(BidQuery query, CancellationToken cancellationToken);

    /// <summary>One page of <c>GET /v2/spot/bids</c>.</summary>
    Task<Page<Bid>> ListBidsPageAsync(BidQuery query, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>The project's bid with exactly this name (the newest when several), or null.</summary>
    Task<Bid?> FindBidByNameAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /v2/spot/bids</c>. When the outcome is unknown (timeout, 5xx, connection lost after sending)
    /// it looks the name up and adopts the bid found; only when none exists does it post again, same name.
    /// </summary>
    Task<Bid> CreateBidAsync(CreateBidRequest request, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/spot/bids/{fid}</c>.</summary>
    Task<Bid> GetBidAsync(string bidFid, CancellationToken cancellationToken);

    /// <summary><c>PATCH /v2/spot/bids/{fid}</c> with only the fields set in <paramref name="update"/>.</summary>
    Task<Bid> UpdateBidAsync(string bidFid, UpdateBidRequest update, CancellationToken cancellationToken);

    /// <summary><c>DELETE /v2/spot/bids/{fid}</c>: true when cancelled now, false when it was already gone (404).</summary>
    Task<bool> CancelBidAsync(string bidFid, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/instances</c> with the filters, every page followed.</summary>
    Task<IReadOnlyList<Instance>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken);
}
