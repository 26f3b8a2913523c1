using Etrid.Substrate.Metadata;
using Etrid.Substrate.Storage;

namespace Etrid.AiCompute.Schema;

/// <summary>A storage item the exporter reads, as found in metadata: its prefix, hasher and types.</summary>
public sealed record StorageItem(string Pallet, string Name, byte[] Prefix, StorageEntryMetadata Entry)
{
    /// <summary>The hasher of a single-key map.</summary>
    public StorageHasher Hasher => Entry.Hashers.Count == 1 ? Entry.Hashers[0] : throw new SchemaException($"{Pallet}.{Name} is not a single-key map");

    /// <summary>The full key for a SCALE-encoded map key, as hex.</summary>
    public string Key(ReadOnlySpan<byte> encodedKey)
    {
        // Built on the stack when it fits (a cold sync makes 100,000s of these); only the hex string is allocated.
        var hasher = Hasher;
        var length = Prefix.Length + hasher.OutputLength(encodedKey.Length);
        if (length > 256)
        {
            return Etrid.Substrate.Hex.Encode(StorageKey.MapKey(Prefix, hasher, encodedKey));
        }

        Span<byte> key = stackalloc byte[256];
        Prefix.CopyTo(key);
        hasher.Hash(encodedKey, key[Prefix.Length..]);
        return Etrid.Substrate.Hex.Encode(key[..length]);
    }

    /// <summary>The key of a plain value, as hex.</summary>
    public string ValueKey => Etrid.Substrate.Hex.Encode(Prefix);
}
