namespace Etrid.Substrate.Metadata;

/// <summary>Primitive types of the portable type registry, numbered as in metadata.</summary>
public enum PrimitiveType : byte
{
    Bool = 0,
    Char = 1,
    Str = 2,
    U8 = 3,
    U16 = 4,
    U32 = 5,
    U64 = 6,
    U128 = 7,
    U256 = 8,
    I8 = 9,
    I16 = 10,
    I32 = 11,
    I64 = 12,
    I128 = 13,
    I256 = 14,
}
