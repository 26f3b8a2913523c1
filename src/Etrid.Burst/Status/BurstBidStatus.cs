using System.Text.Json.Serialization;

namespace Etrid.Burst.Status;

/// <summary>One owned bid as last listed.</summary>
public sealed record BurstBidStatus
{
    /// <summary>The market's id of the bid (the key keeps the seed's name).</summary>
    [JsonPropertyName("fid")]
    public required string Fid { get; init; }

    /// <summary>Bid name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Bid status (<c>Open</c>, <c>Allocated</c>, <c>Preempting</c>, <c>Paused</c>, …).</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>True when paused.</summary>
    [JsonPropertyName("paused")]
    public bool Paused { get; init; }

    /// <summary>Its node's status as the provider writes it (Mithril: <c>STATUS_RUNNING</c>, …), or null without one.</summary>
    [JsonPropertyName("instance_status")]
    public string? InstanceStatus { get; init; }

    /// <summary>A node of it runs (the provider's status text is its own; this is the controller's reading).</summary>
    [JsonIgnore]
    public bool InstanceRunning { get; init; }

    /// <summary>Creation time.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }
}
