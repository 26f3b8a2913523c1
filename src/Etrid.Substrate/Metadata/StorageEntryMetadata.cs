using Etrid.Substrate.Storage;

namespace Etrid.Substrate.Metadata;

/// <summary>Whether an absent value reads as None (Optional) or as the entry's default (Default).</summary>
public enum StorageEntryModifier : byte
{
    Optional = 0,
    Default = 1,
}

/// <summary>A storage item: a plain value (no hashers) or a map with one hasher per key part.</summary>
public sealed record StorageEntryMetadata(
    string Name,
    StorageEntryModifier Modifier,
    bool IsMap,
    IReadOnlyList<StorageHasher> Hashers,
    uint? KeyType,
    uint ValueType,
    byte[] Default,
    IReadOnlyList<string> Docs);
