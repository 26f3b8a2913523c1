using System.Globalization;
using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>A block header as JSON-RPC returns it (<c>number</c> is hex).</summary>
public sealed record BlockHeader(string ParentHash, uint Number, string StateRoot, string ExtrinsicsRoot, IReadOnlyList<string> DigestLogs)
{
    /// <summary>Parses a header object; malformed fields give a <see cref="FormatException"/> naming the field.</summary>
    public static BlockHeader Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"header must be an object, got {json.ValueKind}");
        }

        var logs = new List<string>();
        if (json.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.Object &&
            digest.TryGetProperty("logs", out var logArray) && logArray.ValueKind == JsonValueKind.Array)
        {
            logs.AddRange(logArray.EnumerateArray().Select(l => l.GetString() ?? string.Empty));
        }

        return new BlockHeader(
            RequiredString(json, "parentHash"),
            ParseNumber(json.TryGetProperty("number", out var n) ? n : default),
            RequiredString(json, "stateRoot"),
            RequiredString(json, "extrinsicsRoot"),
            logs);
    }

    /// <summary>Parses a block number given as hex (<c>"0x3e8"</c>) or as a JSON number.</summary>
    public static uint ParseNumber(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetUInt32(out var n):
                return n;
            case JsonValueKind.String:
            {
                var text = value.GetString()!;
                var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
                if (uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw new FormatException($"block number '{text}' is not a hex u32");
            }

            default:
                throw new FormatException($"block number must be a hex string, got {value.ValueKind}");
        }
    }

    private static string RequiredString(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"header field '{name}' is missing or not a string");
}
