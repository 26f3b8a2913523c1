using Etrid.Substrate.Hashing;

namespace Etrid.Substrate.Storage;

/// <summary>Builds and takes apart storage keys: <c>twox128(pallet) ++ twox128(item) ++ hashed key parts</c>.</summary>
public static class StorageKey
{
    /// <summary>The 32-byte prefix of a storage item.</summary>
    public static byte[] Prefix(string pallet, string item)
    {
        var key = new byte[32];
        WritePrefix(pallet, item, key);
        return key;
    }

    /// <summary>The 16-byte prefix of every item of a pallet.</summary>
    public static byte[] PalletPrefix(string pallet) => Twox.Hash128(pallet);

    /// <summary>The full key of a map entry whose SCALE-encoded key is <paramref name="encodedKey"/>.</summary>
    public static byte[] MapKey(string pallet, string item, StorageHasher hasher, ReadOnlySpan<byte> encodedKey) =>
        MapKey(Prefix(pallet, item), hasher, encodedKey);

    /// <summary>The full key of a map entry under an already computed item prefix.</summary>
    public static byte[] MapKey(ReadOnlySpan<byte> prefix, StorageHasher hasher, ReadOnlySpan<byte> encodedKey)
    {
        var key = new byte[prefix.Length + hasher.OutputLength(encodedKey.Length)];
        prefix.CopyTo(key);
        hasher.Hash(encodedKey, key.AsSpan(prefix.Length));
        return key;
    }

    /// <summary>
    /// The full key of a multi-key map (double map, N map): each SCALE-encoded part hashed with its hasher.
    /// </summary>
    public static byte[] MapKey(ReadOnlySpan<byte> prefix, IReadOnlyList<(StorageHasher Hasher, byte[] EncodedKey)> parts)
    {
        var length = prefix.Length;
        foreach (var (hasher, encoded) in parts)
        {
            length += hasher.OutputLength(encoded.Length);
        }

        var key = new byte[length];
        prefix.CopyTo(key);
        var offset = prefix.Length;
        foreach (var (hasher, encoded) in parts)
        {
            offset += hasher.Hash(encoded, key.AsSpan(offset));
        }

        return key;
    }

    /// <summary>
    /// The SCALE-encoded key inside a full single-key map key, for reversible hashers
    /// (<c>Blake2_128Concat</c>, <c>Twox64Concat</c>, <c>Identity</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The hasher is not reversible or the key is shorter than prefix and hash.</exception>
    public static ReadOnlySpan<byte> ExtractKey(ReadOnlySpan<byte> fullKey, StorageHasher hasher, int prefixLength = 32)
    {
        if (!hasher.IsReversible())
        {
            throw new ArgumentException($"{hasher} is not reversible: the key cannot be read back", nameof(hasher));
        }

        var start = prefixLength + hasher.HashLength();
        if (fullKey.Length < start)
        {
            throw new ArgumentException(
                $"storage key of {fullKey.Length} bytes is shorter than the {start} bytes of prefix and {hasher} hash",
                nameof(fullKey));
        }

        return fullKey[start..];
    }

    private static void WritePrefix(string pallet, string item, Span<byte> output)
    {
        Twox.Hash128(System.Text.Encoding.UTF8.GetBytes(pallet), output);
        Twox.Hash128(System.Text.Encoding.UTF8.GetBytes(item), output[16..]);
    }
}
