using System.Text.Json.Serialization;

namespace Etrid.Burst.Status;

/// <summary>
/// What the burst controller did and why, as of its last tick (the <c>burst</c> member of <c>/status</c>).
/// Immutable; serialises with snake_case names; holds no secret (no token, no boot script, no Tailscale key).
/// </summary>
public sealed record BurstStatus
{
    /// <summary>The status of a controller that is switched off.</summary>
    public static BurstStatus Disabled { get; } = new() { Enabled = false, Gate = "disabled" };

    /// <summary><c>mithril_auto.enabled</c>.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>This replica leads (or runs standalone).</summary>
    [JsonPropertyName("leading")]
    public bool Leading { get; init; }

    /// <summary>The identity holding the Lease as last seen (this replica's when standalone); null when unknown.</summary>
    [JsonPropertyName("leader_identity")]
    public string? LeaderIdentity { get; init; }

    /// <summary>Decide and report, change nothing.</summary>
    [JsonPropertyName("dry_run")]
    public bool DryRun { get; init; }

    /// <summary>Local GPU capacity used in the last tick.</summary>
    [JsonPropertyName("local_gpus")]
    public long LocalGpus { get; init; }

    /// <summary>Where local capacity comes from: <c>hpa namespace/name</c> or <c>configuration</c>.</summary>
    [JsonPropertyName("local_capacity_source")]
    public string LocalCapacitySource { get; init; } = "configuration";

    /// <summary>Burst GPUs the demand asks for.</summary>
    [JsonPropertyName("desired_gpus")]
    public long DesiredGpus { get; init; }

    /// <summary>Burst GPUs covered by live bids.</summary>
    [JsonPropertyName("current_gpus")]
    public long CurrentGpus { get; init; }

    /// <summary>When the last tick ran; null before the first.</summary>
    [JsonPropertyName("last_tick")]
    public DateTimeOffset? LastTick { get; init; }

    /// <summary>The gate's last reason in words.</summary>
    [JsonPropertyName("gate")]
    public string Gate { get; init; } = "";

    /// <summary>Σ live bids' limit prices, USD per hour (what the budget caps).</summary>
    [JsonPropertyName("committed_usd_per_hour")]
    public decimal CommittedUsdPerHour { get; init; }

    /// <summary><c>max_hourly_spend_usd</c>; null when unset.</summary>
    [JsonPropertyName("budget_usd_per_hour")]
    public decimal? BudgetUsdPerHour { get; init; }

    /// <summary>Allocated instances × spot price, USD per hour (an estimate).</summary>
    [JsonPropertyName("spend_rate_usd_per_hour")]
    public decimal SpendRateUsdPerHour { get; init; }

    /// <summary>Allocated instance-hours × spot price since start, USD (an estimate).</summary>
    [JsonPropertyName("cost_usd_total")]
    public decimal CostUsdTotal { get; init; }

    /// <summary>The pools in configured order.</summary>
    [JsonPropertyName("pools")]
    public IReadOnlyList<BurstPoolStatus> Pools { get; init; } = [];

    /// <summary>The last decisions, oldest first (about 50).</summary>
    [JsonPropertyName("decisions")]
    public IReadOnlyList<BurstDecision> Decisions { get; init; } = [];

    /// <summary>What failed in the last tick (or the start-up check's problems).</summary>
    [JsonPropertyName("failures")]
    public IReadOnlyList<string> Failures { get; init; } = [];
}
