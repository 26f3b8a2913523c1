using Etrid.Substrate.Metadata;
using Etrid.Substrate.Storage;

namespace Etrid.AiCompute.Schema;

/// <summary>A storage item the exporter reads, as found in metadata: its prefix, hasher and types.</summary>
public sealed record StorageItem(string Pallet, string Name, byte[] Prefix, StorageEntryMetadata Entry)
{
    /// <summary>The hasher of a single-key map.</summary>
    public StorageHasher Hasher => Entry.Hashers.Count == 1 ? Entry.Hashers[0] : throw new SchemaException($"{Pallet}.{Name} is not a single-key map");

    /// <summary>The full key for a SCALE-encoded map key, as hex.</summary>
    public string Key(ReadOnlySpan<byte> encodedKey) => Etrid.Substrate.Hex.Encode(StorageKey.MapKey(Prefix, Hasher, encodedKey));

    /// <summary>The key of a plain value, as hex.</summary>
    public string ValueKey => Etrid.Substrate.Hex.Encode(Prefix);
}
