using Etrid.Substrate.Hashing;

namespace Etrid.Substrate.Storage;

/// <summary>Hashing a SCALE-encoded key part with a <see cref="StorageHasher"/>.</summary>
public static class StorageHasherExtensions
{
    /// <summary>Bytes of the hash that precede the raw key in a hashed key part (the whole part for opaque hashers).</summary>
    public static int HashLength(this StorageHasher hasher) => hasher switch
    {
        StorageHasher.Blake2_128 or StorageHasher.Blake2_128Concat or StorageHasher.Twox128 => 16,
        StorageHasher.Blake2_256 or StorageHasher.Twox256 => 32,
        StorageHasher.Twox64Concat => 8,
        StorageHasher.Identity => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(hasher), hasher, "unknown storage hasher"),
    };

    /// <summary>True when the raw key follows the hash, so it can be read back from a full key.</summary>
    public static bool IsReversible(this StorageHasher hasher) =>
        hasher is StorageHasher.Blake2_128Concat or StorageHasher.Twox64Concat or StorageHasher.Identity;

    /// <summary>Length of the hashed key part for a key of <paramref name="keyLength"/> bytes.</summary>
    public static int OutputLength(this StorageHasher hasher, int keyLength) =>
        hasher.HashLength() + (hasher.IsReversible() ? keyLength : 0);

    /// <summary>Writes the hashed form of <paramref name="key"/> to <paramref name="output"/> and returns its length.</summary>
    public static int Hash(this StorageHasher hasher, ReadOnlySpan<byte> key, Span<byte> output)
    {
        var hashLength = hasher.HashLength();
        switch (hasher)
        {
            case StorageHasher.Blake2_128:
            case StorageHasher.Blake2_256:
            case StorageHasher.Blake2_128Concat:
                Blake2b.Hash(key, output[..hashLength]);
                break;
            case StorageHasher.Twox128:
                Twox.Hash128(key, output);
                break;
            case StorageHasher.Twox256:
                Twox.Hash256(key, output);
                break;
            case StorageHasher.Twox64Concat:
                Twox.Hash64(key, output);
                break;
            case StorageHasher.Identity:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(hasher), hasher, "unknown storage hasher");
        }

        if (!hasher.IsReversible())
        {
            return hashLength;
        }

        key.CopyTo(output[hashLength..]);
        return hashLength + key.Length;
    }

    /// <summary>Returns the hashed form of <paramref name="key"/>.</summary>
    public static byte[] Hash(this StorageHasher hasher, ReadOnlySpan<byte> key)
    {
        var output = new byte[hasher.OutputLength(key.Length)];
        hasher.Hash(key, output);
        return output;
    }
}
