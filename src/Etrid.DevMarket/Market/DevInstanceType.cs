namespace Etrid.DevMarket.Market;

/// <summary>An instance type the dev market sells, with its auction's seed price and capacity.</summary>
public sealed record DevInstanceType
{
    /// <summary>FID (<c>it_…</c>).</summary>
    public required string Fid { get; init; }

    /// <summary>Name (<c>h100.80gb.sxm</c>).</summary>
    public required string Name { get; init; }

    /// <summary>GPUs per instance.</summary>
    public required int NumGpus { get; init; }

    /// <summary>GPU model.</summary>
    public string GpuType { get; init; } = "H100";

    /// <summary>Starting spot price in cents per instance-hour; the price path wanders around it.</summary>
    public required long BasePriceCents { get; init; }

    /// <summary>Instances the auction can allocate at once.</summary>
    public int Capacity { get; init; } = 16;
}
