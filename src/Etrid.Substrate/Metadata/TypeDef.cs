namespace Etrid.Substrate.Metadata;

/// <summary>The shape of a registry type.</summary>
public abstract record TypeDef;

/// <summary>A struct: named fields, or unnamed ones for a tuple struct.</summary>
public sealed record CompositeTypeDef(IReadOnlyList<TypeField> Fields) : TypeDef;

/// <summary>An enum: each variant has an index byte (not its position) and fields.</summary>
public sealed record VariantTypeDef(IReadOnlyList<TypeVariant> Variants) : TypeDef
{
    /// <summary>The variant with index <paramref name="index"/>, or null.</summary>
    public TypeVariant? FindByIndex(byte index)
    {
        foreach (var v in Variants)
        {
            if (v.Index == index)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The variant named <paramref name="name"/>, or null.</summary>
    public TypeVariant? FindByName(string name)
    {
        foreach (var v in Variants)
        {
            if (v.Name == name)
            {
                return v;
            }
        }

        return null;
    }
}

/// <summary>A variable-length sequence with a compact length prefix.</summary>
public sealed record SequenceTypeDef(uint ElementType) : TypeDef;

/// <summary>A fixed-length array, no length prefix.</summary>
public sealed record ArrayTypeDef(uint Length, uint ElementType) : TypeDef;

/// <summary>A tuple of types, encoded in order.</summary>
public sealed record TupleTypeDef(IReadOnlyList<uint> Elements) : TypeDef;

/// <summary>A primitive.</summary>
public sealed record PrimitiveTypeDef(PrimitiveType Primitive) : TypeDef;

/// <summary>A compact-encoded integer (or a one-field wrapper of one).</summary>
public sealed record CompactTypeDef(uint Type) : TypeDef;

/// <summary>A bitvec with its store and order types.</summary>
public sealed record BitSequenceTypeDef(uint StoreType, uint OrderType) : TypeDef;

/// <summary>A struct or variant field.</summary>
public sealed record TypeField(string? Name, uint Type, string? TypeName, IReadOnlyList<string> Docs);

/// <summary>An enum variant.</summary>
public sealed record TypeVariant(string Name, IReadOnlyList<TypeField> Fields, byte Index, IReadOnlyList<string> Docs);

/// <summary>A generic parameter of a type.</summary>
public sealed record TypeParameter(string Name, uint? Type);

/// <summary>A type of the portable registry.</summary>
public sealed record PortableType(uint Id, IReadOnlyList<string> Path, IReadOnlyList<TypeParameter> Params, TypeDef Def, IReadOnlyList<string> Docs)
{
    /// <summary>The path joined with <c>::</c>, or an empty string for unnamed types.</summary>
    public string PathString => string.Join("::", Path);
}
