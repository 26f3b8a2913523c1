using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>Storage values at one block: <c>state_queryStorageAt</c> results and <c>state_storage</c> notifications.</summary>
public sealed record StorageChangeSet(string Block, IReadOnlyList<StorageChange> Changes)
{
    /// <summary>Parses <c>{"block": "0x…", "changes": [["0xkey", "0xvalue" | null], …]}</c>.</summary>
    public static StorageChangeSet Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"storage change set must be an object, got {json.ValueKind}");
        }

        var block = json.TryGetProperty("block", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : string.Empty;
        if (!json.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("storage change set has no 'changes' array");
        }

        var list = new List<StorageChange>(changes.GetArrayLength());
        foreach (var change in changes.EnumerateArray())
        {
            if (change.ValueKind != JsonValueKind.Array || change.GetArrayLength() != 2 || change[0].GetString() is not { } key)
            {
                throw new FormatException("storage change must be a [key, value] pair");
            }

            list.Add(new StorageChange(key, change[1].ValueKind == JsonValueKind.Null ? null : change[1].GetString()));
        }

        return new StorageChangeSet(block, list);
    }
}

/// <summary>One storage key and its hex value, or null when absent.</summary>
public sealed record StorageChange(string Key, string? Value);
