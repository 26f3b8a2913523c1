using System.Text.Json.Serialization;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// A <c>state_getKeysPaged</c> answer decoded from its UTF-8 text straight into bytes: every key in one buffer, without a
/// string per key (a cold sync lists a million of them).
/// </summary>
[JsonConverter(typeof(StorageKeysConverter))]
public sealed class StorageKeys
{
    private readonly byte[] _bytes;
    // Key i spans [_offsets[i], _offsets[i + 1]).
    private readonly int[] _offsets;

    internal StorageKeys(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
    }

    /// <summary>Keys in the page, in the order the node sent them.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Key <paramref name="index"/>, as bytes.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _bytes.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);
        }
    }
}
