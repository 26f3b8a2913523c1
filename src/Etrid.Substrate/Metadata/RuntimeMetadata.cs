namespace Etrid.Substrate.Metadata;

/// <summary>Runtime metadata V14 or V15: the type registry, pallets and (V15) runtime APIs.</summary>
public sealed record RuntimeMetadata(
    byte Version,
    TypeRegistry Types,
    IReadOnlyList<PalletMetadata> Pallets,
    ExtrinsicMetadata Extrinsic,
    uint RuntimeType,
    IReadOnlyList<RuntimeApiMetadata> Apis,
    OuterEnums? OuterEnums,
    IReadOnlyList<CustomValueMetadata> Custom)
{
    /// <summary>The pallet named <paramref name="name"/>, or null.</summary>
    public PalletMetadata? FindPallet(string name) => Pallets.FirstOrDefault(p => p.Name == name);

    /// <summary>The pallet at runtime index <paramref name="index"/>, or null.</summary>
    public PalletMetadata? FindPallet(byte index) => Pallets.FirstOrDefault(p => p.Index == index);
}

/// <summary>
/// Extrinsic format. V14 has one <see cref="Type"/>; V15 has address, call, signature and extra types.
/// </summary>
public sealed record ExtrinsicMetadata(
    byte Version,
    uint? Type,
    uint? AddressType,
    uint? CallType,
    uint? SignatureType,
    uint? ExtraType,
    IReadOnlyList<SignedExtensionMetadata> SignedExtensions);

/// <summary>A signed extension of the extrinsic format.</summary>
public sealed record SignedExtensionMetadata(string Identifier, uint Type, uint AdditionalSigned);

/// <summary>A runtime API trait (V15).</summary>
public sealed record RuntimeApiMetadata(string Name, IReadOnlyList<RuntimeApiMethodMetadata> Methods, IReadOnlyList<string> Docs);

/// <summary>A runtime API method (V15).</summary>
public sealed record RuntimeApiMethodMetadata(string Name, IReadOnlyList<(string Name, uint Type)> Inputs, uint Output, IReadOnlyList<string> Docs);

/// <summary>The runtime's outer call, event and error enums (V15).</summary>
public sealed record OuterEnums(uint CallType, uint EventType, uint ErrorType);

/// <summary>A custom metadata value (V15).</summary>
public sealed record CustomValueMetadata(string Name, uint Type, byte[] Value);
