namespace Etrid.Mithril.Models;

/// <summary><c>AuctionModel</c>: one (instance type, region) market of <c>GET /v2/spot/availability</c>.</summary>
public sealed record SpotAuction
{
    /// <summary>Auction FID (<c>auc_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>Instance type FID.</summary>
    public string InstanceType { get; init; } = "";

    /// <summary>Region.</summary>
    public string Region { get; init; } = "";

    /// <summary>Instances the auction can allocate.</summary>
    public int Capacity { get; init; }

    /// <summary>Last price per instance-hour (<c>"$10.00"</c>).</summary>
    public string LastInstancePrice { get; init; } = "";

    /// <summary>Lowest allocated price, if any.</summary>
    public string? LowestAllocatedPrice { get; init; }

    /// <summary>Whether <c>memory_gb</c> may be set.</summary>
    public bool AdjustableMemory { get; init; }

    /// <summary>Default image version, if any.</summary>
    public string? DefaultImageVersion { get; init; }
}
