using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;

namespace Etrid.Substrate.Values;

/// <summary>
/// Decodes SCALE bytes of any registry type into a <see cref="ScaleValue"/> tree, or skips over them
/// without allocating. Recursive types are resolved lazily by id; nesting deeper than
/// <see cref="MaxDepth"/> is an error, so hostile input cannot overflow the stack.
/// </summary>
public sealed class DynamicDecoder
{
    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 128;

    public DynamicDecoder(TypeRegistry registry)
    {
        Registry = registry;
    }

    public TypeRegistry Registry { get; }

    /// <summary>Decodes a whole value: every byte must be consumed.</summary>
    public ScaleValue Decode(ReadOnlySpan<byte> bytes, uint typeId)
    {
        var reader = new ScaleReader(bytes);
        var value = Decode(ref reader, typeId);
        reader.EnsureAtEnd(Registry.Resolve(typeId).PathString);
        return value;
    }

    /// <summary>Decodes one value from the reader.</summary>
    public ScaleValue Decode(ref ScaleReader reader, uint typeId)
    {
        // Every value costs one unit; values that encode to no bytes could otherwise multiply without bound.
        var budget = (reader.Remaining * 2L) + ScaleReader.MaxZeroSizedItems;
        return DecodeAt(ref reader, typeId, 0, ref budget);
    }

    /// <summary>Advances the reader past one value of the type.</summary>
    public void Skip(ref ScaleReader reader, uint typeId) => SkipAt(ref reader, typeId, 0);

    private ScaleValue DecodeAt(ref ScaleReader reader, uint typeId, int depth, ref long budget)
    {
        if (depth > MaxDepth)
        {
            throw new ScaleDecodeException($"nesting deeper than {MaxDepth}", reader.Position, $"type {typeId}");
        }

        if (--budget < 0)
        {
            throw new ScaleDecodeException("more values than the input can hold", reader.Position, $"type {typeId}");
        }

        var type = Registry.Resolve(typeId);
        switch (type.Def)
        {
            case PrimitiveTypeDef p:
                return DecodePrimitive(ref reader, p.Primitive);
            case CompositeTypeDef c:
                return new ScaleComposite(DecodeFields(ref reader, c.Fields, depth, ref budget));
            case VariantTypeDef v:
            {
                var offset = reader.Position;
                var index = reader.ReadU8();
                var variant = v.FindByIndex(index)
                    ?? throw new ScaleDecodeException($"no variant with index {index}", offset, Name(type));
                return new ScaleVariant(variant.Name, index, DecodeFields(ref reader, variant.Fields, depth, ref budget));
            }

            case SequenceTypeDef s:
            {
                if (IsU8(s.ElementType))
                {
                    return new ScaleBytes(reader.ReadByteVector().ToArray());
                }

                var count = reader.ReadLength(MinSize(s.ElementType));
                if (count > budget)
                {
                    throw new ScaleDecodeException($"sequence of {count} is more than the input can hold", reader.Position, Name(type));
                }

                var items = new ScaleValue[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = DecodeAt(ref reader, s.ElementType, depth + 1, ref budget);
                }

                return new ScaleSequence(items);
            }

            case ArrayTypeDef a:
            {
                if (IsU8(a.ElementType))
                {
                    return new ScaleBytes(reader.ReadBytes(checked((int)a.Length)).ToArray());
                }

                if ((long)a.Length * MinSize(a.ElementType) > reader.Remaining || a.Length > budget)
                {
                    throw new ScaleDecodeException($"array of {a.Length} exceeds the {reader.Remaining} byte(s) left", reader.Position, Name(type));
                }

                var items = new ScaleValue[a.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = DecodeAt(ref reader, a.ElementType, depth + 1, ref budget);
                }

                return new ScaleSequence(items);
            }

            case TupleTypeDef t:
            {
                var items = new ScaleValue[t.Elements.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = DecodeAt(ref reader, t.Elements[i], depth + 1, ref budget);
                }

                return new ScaleSequence(items);
            }

            case CompactTypeDef c:
                return DecodeCompact(ref reader, c.Type, depth);
            case BitSequenceTypeDef b:
                return DecodeBits(ref reader, b);
            default:
                throw new MetadataException($"type {typeId} has an unknown definition");
        }
    }

    private ScaleField[] DecodeFields(ref ScaleReader reader, IReadOnlyList<TypeField> fields, int depth, ref long budget)
    {
        var result = new ScaleField[fields.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new ScaleField(fields[i].Name, DecodeAt(ref reader, fields[i].Type, depth + 1, ref budget));
        }

        return result;
    }

    private ScaleValue DecodeCompact(ref ScaleReader reader, uint innerType, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ScaleDecodeException($"nesting deeper than {MaxDepth}", reader.Position, $"type {innerType}");
        }

        var inner = Registry.Resolve(innerType);
        return inner.Def switch
        {
            PrimitiveTypeDef => new ScaleInteger(reader.ReadCompact()),
            CompositeTypeDef { Fields.Count: 0 } => new ScaleComposite([]),
            CompositeTypeDef { Fields.Count: 1 } c => new ScaleComposite([new ScaleField(c.Fields[0].Name, DecodeCompact(ref reader, c.Fields[0].Type, depth + 1))]),
            TupleTypeDef { Elements.Count: 0 } => new ScaleSequence([]),
            TupleTypeDef { Elements.Count: 1 } t => new ScaleSequence([DecodeCompact(ref reader, t.Elements[0], depth + 1)]),
            _ => throw new MetadataException($"Compact over {Name(inner)} is not an integer or a one-field wrapper"),
        };
    }

    private ScaleBitSequence DecodeBits(ref ScaleReader reader, BitSequenceTypeDef def)
    {
        var storeBits = BitStoreSize(def) * 8;
        var msb = Registry.Resolve(def.OrderType).Path.LastOrDefault() == "Msb0";
        var offset = reader.Position;
        var bitCount = reader.ReadCompact();
        var words = (bitCount + (UInt128)storeBits - 1) / (UInt128)storeBits;
        if (words * (UInt128)(storeBits / 8) > (UInt128)reader.Remaining)
        {
            throw new ScaleDecodeException($"bit sequence of {bitCount} bits exceeds the {reader.Remaining} byte(s) left", offset);
        }

        var bytes = reader.ReadBytes((int)words * (storeBits / 8));
        var bits = new bool[(int)bitCount];
        for (var i = 0; i < bits.Length; i++)
        {
            // Each store word is little-endian; the order type says which end of a word holds bit 0.
            var word = i / storeBits;
            var bitInWord = i % storeBits;
            var shift = msb ? storeBits - 1 - bitInWord : bitInWord;
            var b = bytes[(word * storeBits / 8) + (shift / 8)];
            bits[i] = ((b >> (shift % 8)) & 1) == 1;
        }

        return new ScaleBitSequence(bits);
    }

    private int BitStoreSize(BitSequenceTypeDef def) => Registry.Resolve(def.StoreType).Def switch
    {
        PrimitiveTypeDef { Primitive: PrimitiveType.U8 } => 1,
        PrimitiveTypeDef { Primitive: PrimitiveType.U16 } => 2,
        PrimitiveTypeDef { Primitive: PrimitiveType.U32 } => 4,
        PrimitiveTypeDef { Primitive: PrimitiveType.U64 } => 8,
        _ => throw new MetadataException($"bit store type {def.StoreType} is not u8, u16, u32 or u64"),
    };

    private static ScaleValue DecodePrimitive(ref ScaleReader reader, PrimitiveType primitive)
    {
        switch (primitive)
        {
            case PrimitiveType.Bool:
                return new ScaleBool(reader.ReadBool());
            case PrimitiveType.Char:
            {
                var offset = reader.Position;
                var cp = reader.ReadU32();
                if (cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                {
                    throw new ScaleDecodeException($"0x{cp:x} is not a Unicode scalar value", offset, "char");
                }

                return new ScaleChar((int)cp);
            }

            case PrimitiveType.Str:
                return new ScaleString(reader.ReadString());
            case PrimitiveType.U8:
                return new ScaleInteger(reader.ReadU8());
            case PrimitiveType.U16:
                return new ScaleInteger(reader.ReadU16());
            case PrimitiveType.U32:
                return new ScaleInteger(reader.ReadU32());
            case PrimitiveType.U64:
                return new ScaleInteger(reader.ReadU64());
            case PrimitiveType.U128:
                return new ScaleInteger(reader.ReadU128());
            case PrimitiveType.U256:
                return new ScaleInteger(reader.ReadInt256(signed: false));
            case PrimitiveType.I8:
                return new ScaleInteger(reader.ReadI8());
            case PrimitiveType.I16:
                return new ScaleInteger(reader.ReadI16());
            case PrimitiveType.I32:
                return new ScaleInteger(reader.ReadI32());
            case PrimitiveType.I64:
                return new ScaleInteger(reader.ReadI64());
            case PrimitiveType.I128:
                return new ScaleInteger(reader.ReadI128());
            case PrimitiveType.I256:
                return new ScaleInteger(reader.ReadInt256(signed: true));
            default:
                throw new MetadataException($"unknown primitive {primitive}");
        }
    }

    private void SkipAt(ref ScaleReader reader, uint typeId, int depth)
    {
        if (Registry.FixedSize(typeId) is { } size)
        {
            reader.Skip(size);
            return;
        }

        if (depth > MaxDepth)
        {
            throw new ScaleDecodeException($"nesting deeper than {MaxDepth}", reader.Position, $"type {typeId}");
        }

        var type = Registry.Resolve(typeId);
        switch (type.Def)
        {
            case PrimitiveTypeDef { Primitive: PrimitiveType.Str }:
                reader.ReadByteVector();
                return;
            case PrimitiveTypeDef p:
                DecodePrimitive(ref reader, p.Primitive);
                return;
            case CompositeTypeDef c:
                foreach (var f in c.Fields)
                {
                    SkipAt(ref reader, f.Type, depth + 1);
                }

                return;
            case VariantTypeDef v:
            {
                var offset = reader.Position;
                var index = reader.ReadU8();
                var variant = v.FindByIndex(index)
                    ?? throw new ScaleDecodeException($"no variant with index {index}", offset, Name(type));
                foreach (var f in variant.Fields)
                {
                    SkipAt(ref reader, f.Type, depth + 1);
                }

                return;
            }

            case SequenceTypeDef s:
            {
                var count = reader.ReadLength(MinSize(s.ElementType));
                if (Registry.FixedSize(s.ElementType) is { } elementSize)
                {
                    reader.Skip(checked(count * elementSize));
                    return;
                }

                for (var i = 0; i < count; i++)
                {
                    SkipAt(ref reader, s.ElementType, depth + 1);
                }

                return;
            }

            case ArrayTypeDef a:
                for (var i = 0u; i < a.Length; i++)
                {
                    SkipAt(ref reader, a.ElementType, depth + 1);
                }

                return;
            case TupleTypeDef t:
                foreach (var e in t.Elements)
                {
                    SkipAt(ref reader, e, depth + 1);
                }

                return;
            case CompactTypeDef:
                reader.ReadCompact();
                return;
            case BitSequenceTypeDef b:
                DecodeBits(ref reader, b);
                return;
            default:
                throw new MetadataException($"type {typeId} has an unknown definition");
        }
    }

    private bool IsU8(uint typeId) => Registry.Resolve(typeId).Def is PrimitiveTypeDef { Primitive: PrimitiveType.U8 };

    // A lower bound on an item's encoded size, so a length prefix can be checked before allocating.
    private int MinSize(uint typeId) => Registry.MinSize(typeId);

    private static string Name(PortableType type) => type.Path.Count > 0 ? type.PathString : $"type {type.Id}";
}
