using System.Text.Json.Serialization;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// The values of a <c>state_queryStorageAt</c> answer, decoded from the answer's UTF-8 text straight into bytes: every key
/// and value of the change set in one buffer, without a string per key or value (a cold sync reads a million of them).
/// <see cref="StorageChangeSet"/> holds the same answer as text.
/// </summary>
[JsonConverter(typeof(StorageValuesConverter))]
public sealed class StorageValues
{
    private readonly byte[] _bytes;
    // Per entry: key offset, key length, value offset, value length (-1: no value).
    private readonly int[] _bounds;

    internal StorageValues(string block, byte[] bytes, int[] bounds, int count)
    {
        Block = block;
        _bytes = bytes;
        _bounds = bounds;
        Count = count;
    }

    /// <summary>An answer without a change set (no block was read).</summary>
    public static StorageValues Empty { get; } = new(string.Empty, [], [], 0);

    /// <summary>The block hash the values were read at, as the node sent it (empty when it named none).</summary>
    public string Block { get; }

    /// <summary>Entries, in the order the node answered (the order of the keys asked for).</summary>
    public int Count { get; }

    /// <summary>The full storage key of entry <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Key(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _bytes.AsSpan(_bounds[4 * index], _bounds[(4 * index) + 1]);
    }

    /// <summary>The value of entry <paramref name="index"/>; false when the key holds none.</summary>
    public bool TryGetValue(int index, out ReadOnlySpan<byte> value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var length = _bounds[(4 * index) + 3];
        value = length < 0 ? default : _bytes.AsSpan(_bounds[(4 * index) + 2], length);
        return length >= 0;
    }
}
