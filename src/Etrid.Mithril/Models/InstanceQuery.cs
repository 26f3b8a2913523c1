namespace Etrid.Mithril.Models;

/// <summary>Filters of <c>GET /v2/instances</c>; the project is required, null filters are not sent.</summary>
public sealed record InstanceQuery
{
    /// <summary>Project FID (required by the API).</summary>
    public required string Project { get; init; }

    /// <summary>Bid FIDs, sent comma-separated as <c>bid_fid_in</c>.</summary>
    public IReadOnlyList<string>? BidFids { get; init; }

    /// <summary>Statuses, sent comma-separated as <c>status_in</c>.</summary>
    public IReadOnlyList<InstanceStatus>? Statuses { get; init; }

    /// <summary>Instance type FID.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Region.</summary>
    public string? Region { get; init; }
}
