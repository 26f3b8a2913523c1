namespace Etrid.Mithril.Models;

/// <summary><c>InstanceTypeModel</c>: a machine shape; <see cref="NumGpus"/> converts per-GPU prices to per-instance.</summary>
public sealed record InstanceType
{
    /// <summary>Instance type FID (<c>it_…</c>); one name may have several FIDs, one per region.</summary>
    public string Fid { get; init; } = "";

    /// <summary>Name (<c>h100.80gb.sxm</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>CPU count.</summary>
    public int NumCpus { get; init; }

    /// <summary>CPU vendor or model.</summary>
    public string CpuType { get; init; } = "";

    /// <summary>RAM in GB.</summary>
    public int RamGb { get; init; }

    /// <summary>GPUs per instance.</summary>
    public int NumGpus { get; init; }

    /// <summary>GPU model (<c>H100</c>).</summary>
    public string GpuType { get; init; } = "";

    /// <summary>Memory per GPU in GB.</summary>
    public int GpuMemoryGb { get; init; }

    /// <summary>GPU socket (<c>SXM5</c>).</summary>
    public string GpuSocket { get; init; } = "";

    /// <summary>Local disk in GB.</summary>
    public int LocalStorageGb { get; init; }

    /// <summary>Interconnect (<c>InfiniBand</c>), if any.</summary>
    public string? NetworkType { get; init; }

    /// <summary>InfiniBand adapters.</summary>
    public int IbCount { get; init; }

    /// <summary>GPU bridges.</summary>
    public int BridgeCount { get; init; }
}
