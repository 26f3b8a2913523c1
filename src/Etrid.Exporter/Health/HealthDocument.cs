using System.Text.Json.Serialization;

namespace Etrid.Exporter.Health;

/// <summary>The JSON body of /healthz.</summary>
public sealed record HealthDocument(
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("endpoint")] string? Endpoint,
    [property: JsonPropertyName("snapshot_block")] uint? SnapshotBlock,
    [property: JsonPropertyName("snapshot_age_seconds")] double? SnapshotAgeSeconds,
    [property: JsonPropertyName("finalized_block")] long? FinalizedBlock,
    [property: JsonPropertyName("last_error")] string? LastError);

[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class HealthJson : JsonSerializerContext;
