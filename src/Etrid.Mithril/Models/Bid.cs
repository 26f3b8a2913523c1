using System.Text.Json.Serialization;
using Etrid.Mithril.Pricing;

namespace Etrid.Mithril.Models;

/// <summary><c>BidModel</c>: a spot bid as the API returns it.</summary>
public sealed record Bid
{
    /// <summary>Bid FID (<c>bid_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>The bid's name (ours: <c>{base}-{hash8}-{rand5}</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>Project FID.</summary>
    public string Project { get; init; } = "";

    /// <summary>User FID of the creator.</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>When the bid was placed.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the bid was cancelled; null while live.</summary>
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Limit price per instance-hour as the API writes it (<c>"$28.00"</c>).</summary>
    public string LimitPrice { get; init; } = "";

    /// <summary>Instances requested (we always ask for 1).</summary>
    public int InstanceQuantity { get; init; }

    /// <summary>Instance type FID (<c>it_…</c>).</summary>
    public string InstanceType { get; init; } = "";

    /// <summary>Region, when known.</summary>
    public string? Region { get; init; }

    /// <summary>Instance FIDs; empty until allocated.</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>The launch specification as sent.</summary>
    public LaunchSpecification LaunchSpecification { get; init; } = new();

    /// <summary>The status string as the API sent it.</summary>
    [JsonPropertyName("status")]
    public string StatusText { get; init; } = "";

    /// <summary>The status, <see cref="BidStatus.Unknown"/> for a value this client does not know.</summary>
    [JsonIgnore]
    public BidStatus Status => StatusNames.ParseBid(StatusText);

    /// <summary>The limit price in cents per instance-hour, or null when the string does not parse.</summary>
    [JsonIgnore]
    public long? LimitPriceCents => MithrilPrice.TryParseCents(LimitPrice, out var cents) ? cents : null;
}
