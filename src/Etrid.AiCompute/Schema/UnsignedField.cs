using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;

namespace Etrid.AiCompute.Schema;

/// <summary>
/// How to read one unsigned integer field, resolved once from metadata: any unsigned primitive,
/// a compact, or a one-field wrapper of either, optionally inside an <c>Option</c>.
/// </summary>
internal readonly struct UnsignedField
{
    private readonly PrimitiveType _primitive;
    private readonly bool _compact;

    private UnsignedField(PrimitiveType primitive, bool compact, bool optional)
    {
        _primitive = primitive;
        _compact = compact;
        IsOptional = optional;
    }

    public bool IsOptional { get; }

    public static UnsignedField Resolve(TypeRegistry types, uint typeId, string what, bool allowOption)
    {
        var type = types.Resolve(typeId);
        if (allowOption && type.Def is VariantTypeDef v && type.Path is ["Option"] &&
            v.FindByName("None") is { Index: 0, Fields.Count: 0 } && v.FindByName("Some") is { Index: 1, Fields: [var some] })
        {
            var inner = Resolve(types, some.Type, what, allowOption: false);
            return new UnsignedField(inner._primitive, inner._compact, optional: true);
        }

        var unwrapped = types.Unwrap(typeId);
        return unwrapped.Def switch
        {
            PrimitiveTypeDef { Primitive: PrimitiveType.U8 or PrimitiveType.U16 or PrimitiveType.U32 or PrimitiveType.U64 or PrimitiveType.U128 } p =>
                new UnsignedField(p.Primitive, compact: false, optional: false),
            CompactTypeDef => new UnsignedField(PrimitiveType.U128, compact: true, optional: false),
            _ => throw new SchemaException($"{what} is {Describe(unwrapped)}, expected an unsigned integer{(allowOption ? " or Option of one" : string.Empty)}"),
        };
    }

    /// <summary>Reads the value; null for None when optional.</summary>
    public UInt128? Read(ref ScaleReader reader)
    {
        if (IsOptional && !reader.ReadOptionTag())
        {
            return null;
        }

        if (_compact)
        {
            return reader.ReadCompact();
        }

        return _primitive switch
        {
            PrimitiveType.U8 => reader.ReadU8(),
            PrimitiveType.U16 => reader.ReadU16(),
            PrimitiveType.U32 => reader.ReadU32(),
            PrimitiveType.U64 => reader.ReadU64(),
            _ => reader.ReadU128(),
        };
    }

    internal static string Describe(PortableType type) => type.Path.Count > 0 ? type.PathString : type.Def.GetType().Name.Replace("TypeDef", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
