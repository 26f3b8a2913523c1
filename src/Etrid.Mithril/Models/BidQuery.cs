namespace Etrid.Mithril.Models;

/// <summary>Filters of <c>GET /v2/spot/bids</c>; null filters are not sent.</summary>
public sealed record BidQuery
{
    /// <summary>Project FID.</summary>
    public string? Project { get; init; }

    /// <summary>Instance type FID.</summary>
    public string? InstanceType { get; init; }

    /// <summary>Region.</summary>
    public string? Region { get; init; }

    /// <summary>One status (the API takes a single value).</summary>
    public BidStatus? Status { get; init; }

    /// <summary>Exact bid name.</summary>
    public string? Name { get; init; }

    /// <summary><c>created_at</c> or <c>status</c>.</summary>
    public string? SortBy { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>.</summary>
    public string? SortDirection { get; init; }
}
