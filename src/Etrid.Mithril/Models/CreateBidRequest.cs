namespace Etrid.Mithril.Models;

/// <summary><c>CreateBidRequest</c>: the body of <c>POST /v2/spot/bids</c>.</summary>
public sealed record CreateBidRequest
{
    /// <summary>Project FID.</summary>
    public required string Project { get; init; }

    /// <summary>Region (<c>us-central1-a</c>).</summary>
    public required string Region { get; init; }

    /// <summary>Instance type FID.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Limit price per <b>instance</b>-hour in the API's dollar string; see <see cref="Pricing.MithrilPrice"/>.</summary>
    public required string LimitPrice { get; init; }

    /// <summary>Instances; one bid per node, so 1.</summary>
    public int InstanceQuantity { get; init; } = 1;

    /// <summary>The bid's name; also the key that finds a bid whose creation outcome is unknown.</summary>
    public required string Name { get; init; }

    /// <summary>What the instances boot with.</summary>
    public LaunchSpecification LaunchSpecification { get; init; } = new();

    /// <summary>Optional notification address; omitted when null.</summary>
    public string? NotificationEmail { get; init; }
}
