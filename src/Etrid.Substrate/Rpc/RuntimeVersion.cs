using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>The runtime version (<c>state_getRuntimeVersion</c>).</summary>
public sealed record RuntimeVersion(
    string SpecName,
    string ImplName,
    uint SpecVersion,
    uint ImplVersion,
    uint TransactionVersion,
    uint StateVersion,
    IReadOnlyDictionary<string, uint> Apis)
{
    /// <summary>The runtime API id of <c>Metadata</c>: blake2b-64("Metadata").</summary>
    public const string MetadataApiId = "0x37e397fc7c91f5e4";

    /// <summary>Parses the version object; <c>apis</c> may be a list of pairs or an object.</summary>
    public static RuntimeVersion Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"runtime version must be an object, got {json.ValueKind}");
        }

        var apis = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        if (json.TryGetProperty("apis", out var a))
        {
            if (a.ValueKind == JsonValueKind.Array)
            {
                foreach (var pair in a.EnumerateArray())
                {
                    if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[0].GetString() is { } id)
                    {
                        apis[id] = pair[1].GetUInt32();
                    }
                }
            }
            else if (a.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in a.EnumerateObject())
                {
                    apis[p.Name] = p.Value.GetUInt32();
                }
            }
        }

        return new RuntimeVersion(
            Text(json, "specName"),
            Text(json, "implName"),
            Number(json, "specVersion"),
            Number(json, "implVersion"),
            Number(json, "transactionVersion"),
            Number(json, "stateVersion"),
            apis);
    }

    /// <summary>True when the runtime offers <c>Metadata_metadata_at_version</c> (Metadata API ≥ 2).</summary>
    public bool SupportsMetadataAtVersion => Apis.TryGetValue(MetadataApiId, out var v) && v >= 2;

    private static string Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static uint Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt32(out var n) ? n : 0;
}
