using System.Globalization;
using System.Text.Json;

namespace Etrid.DevChain.Rpc;

/// <summary>Positional JSON-RPC parameters; missing trailing parameters and <c>null</c> mean "not given".</summary>
internal readonly struct RpcParams
{
    private readonly JsonElement _params;

    public RpcParams(JsonElement? parameters)
    {
        _params = parameters ?? default;
        if (_params.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Array))
        {
            throw RpcErrorException.InvalidParams("params must be an array of positional parameters");
        }
    }

    public int Count => _params.ValueKind == JsonValueKind.Array ? _params.GetArrayLength() : 0;

    public JsonElement? Get(int index) =>
        index < Count && _params[index].ValueKind != JsonValueKind.Null ? _params[index] : null;

    public string? OptionalString(int index, string name) => Get(index) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        var e => throw RpcErrorException.InvalidParams($"{name} (parameter {index}) must be a string, got {e.Value.ValueKind}"),
    };

    public string RequiredString(int index, string name) =>
        OptionalString(index, name) ?? throw RpcErrorException.InvalidParams($"{name} (parameter {index}) is required");

    /// <summary>A 0x-hex byte string, returned lowercase without the prefix.</summary>
    public string? OptionalHex(int index, string name)
    {
        var text = OptionalString(index, name);
        if (text is null)
        {
            return null;
        }

        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0 || !IsHex(text.AsSpan(2)))
        {
            throw RpcErrorException.InvalidParams($"{name} (parameter {index}) must be 0x-prefixed hex with an even number of digits");
        }

        return text[2..].ToLowerInvariant();
    }

    public string RequiredHex(int index, string name) =>
        OptionalHex(index, name) ?? throw RpcErrorException.InvalidParams($"{name} (parameter {index}) is required");

    public uint? OptionalUInt(int index, string name)
    {
        var value = Get(index);
        if (value is null)
        {
            return null;
        }

        var e = value.Value;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var n))
        {
            return n;
        }

        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.StartsWith("0x", StringComparison.Ordinal) &&
            uint.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h))
        {
            return h;
        }

        throw RpcErrorException.InvalidParams($"{name} (parameter {index}) must be a u32 number or 0x-hex");
    }

    /// <summary>An array of 0x-hex keys, returned lowercase without the prefix.</summary>
    public List<string>? OptionalHexArray(int index, string name)
    {
        var value = Get(index);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            throw RpcErrorException.InvalidParams($"{name} (parameter {index}) must be an array of hex strings");
        }

        var result = new List<string>(value.Value.GetArrayLength());
        foreach (var item in value.Value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : string.Empty;
            if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0 || !IsHex(text.AsSpan(2)))
            {
                throw RpcErrorException.InvalidParams($"{name} (parameter {index}) item {result.Count} must be 0x-prefixed hex");
            }

            result.Add(text[2..].ToLowerInvariant());
        }

        return result;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
