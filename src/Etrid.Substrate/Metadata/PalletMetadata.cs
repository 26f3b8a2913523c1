namespace Etrid.Substrate.Metadata;

/// <summary>A pallet: its storage, call, event and error types, constants and index.</summary>
public sealed record PalletMetadata(
    string Name,
    PalletStorageMetadata? Storage,
    uint? CallType,
    uint? EventType,
    IReadOnlyList<PalletConstantMetadata> Constants,
    uint? ErrorType,
    byte Index,
    IReadOnlyList<string> Docs)
{
    /// <summary>The storage entry named <paramref name="name"/>, or null.</summary>
    public StorageEntryMetadata? FindStorage(string name) =>
        Storage?.Entries.FirstOrDefault(e => e.Name == name);

    /// <summary>The constant named <paramref name="name"/>, or null.</summary>
    public PalletConstantMetadata? FindConstant(string name) =>
        Constants.FirstOrDefault(c => c.Name == name);
}

/// <summary>A pallet's storage: the prefix (the pallet's storage name) and entries.</summary>
public sealed record PalletStorageMetadata(string Prefix, IReadOnlyList<StorageEntryMetadata> Entries);

/// <summary>A pallet constant with its SCALE-encoded value.</summary>
public sealed record PalletConstantMetadata(string Name, uint Type, byte[] Value, IReadOnlyList<string> Docs);
