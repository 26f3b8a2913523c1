using System.Text.Json.Serialization;

namespace Etrid.Burst.Status;

/// <summary>One pool as of the last tick: shape, prices per GPU-hour, why it was skipped, and its owned bids.</summary>
public sealed record BurstPoolStatus
{
    /// <summary>Pool name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Instance type FID.</summary>
    [JsonPropertyName("instance_type")]
    public required string InstanceType { get; init; }

    /// <summary>GPUs per node of the instance type.</summary>
    [JsonPropertyName("gpus_per_node")]
    public int GpusPerNode { get; init; }

    /// <summary>Current spot price per GPU-hour; null when unknown.</summary>
    [JsonPropertyName("spot_usd_per_gpu_hour")]
    public decimal? SpotUsdPerGpuHour { get; init; }

    /// <summary>Configured limit per GPU-hour.</summary>
    [JsonPropertyName("limit_usd_per_gpu_hour")]
    public decimal LimitUsdPerGpuHour { get; init; }

    /// <summary>Why the pool may not grow now (e.g. <c>price above limit</c>), or null.</summary>
    [JsonPropertyName("skipped")]
    public string? Skipped { get; init; }

    /// <summary>Owned, non-terminated bids.</summary>
    [JsonPropertyName("bids")]
    public IReadOnlyList<BurstBidStatus> Bids { get; init; } = [];
}
