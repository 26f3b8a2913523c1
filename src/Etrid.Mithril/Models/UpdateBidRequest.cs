namespace Etrid.Mithril.Models;

/// <summary><c>UpdateBidRequest</c>: the body of <c>PATCH /v2/spot/bids/{fid}</c>; only non-null fields are sent.</summary>
public sealed record UpdateBidRequest
{
    /// <summary>New limit price per instance-hour (<c>"$28.00"</c>).</summary>
    public string? LimitPrice { get; init; }

    /// <summary>True pauses the bid, false resumes it.</summary>
    public bool? Paused { get; init; }

    /// <summary>New volume list.</summary>
    public IReadOnlyList<string>? Volumes { get; init; }

    /// <summary>New memory size in GB.</summary>
    public int? MemoryGb { get; init; }
}
