namespace Etrid.Substrate.Metadata;

/// <summary>The portable type registry: types by id.</summary>
public sealed class TypeRegistry
{
    private readonly PortableType[] _byId;
    private readonly int?[] _fixedSizes;

    public TypeRegistry(IReadOnlyList<PortableType> types)
    {
        Types = types;
        var maxId = types.Count == 0 ? -1 : (int)types.Max(t => t.Id);
        if (maxId > types.Count * 4 + 1024)
        {
            throw new MetadataException($"type ids are too sparse: {types.Count} types, highest id {maxId}");
        }

        _byId = new PortableType[maxId + 1];
        foreach (var t in types)
        {
            if (_byId[t.Id] is not null)
            {
                throw new MetadataException($"type id {t.Id} appears twice in the registry");
            }

            _byId[t.Id] = t;
        }

        _fixedSizes = new int?[maxId + 1];
        FixedSizeKnown = new bool[maxId + 1];
    }

    /// <summary>Types in registry order.</summary>
    public IReadOnlyList<PortableType> Types { get; }

    private bool[] FixedSizeKnown { get; }

    /// <summary>The type with id <paramref name="id"/>.</summary>
    /// <exception cref="MetadataException">No such type.</exception>
    public PortableType Resolve(uint id)
    {
        if (id < _byId.Length && _byId[id] is { } type)
        {
            return type;
        }

        throw new MetadataException($"type id {id} is not in the registry ({Types.Count} types)");
    }

    /// <summary>True when <paramref name="id"/> is a registry type.</summary>
    public bool Contains(uint id) => id < _byId.Length && _byId[id] is not null;

    /// <summary>
    /// The encoded size of a type whose every value has the same length (integers, arrays of them,
    /// structs of them), or null for variable-size types. Computed once per type.
    /// </summary>
    public int? FixedSize(uint id)
    {
        if (id < FixedSizeKnown.Length && FixedSizeKnown[id])
        {
            return _fixedSizes[id];
        }

        var size = ComputeFixedSize(id, depth: 0);
        if (id < FixedSizeKnown.Length)
        {
            _fixedSizes[id] = size;
            FixedSizeKnown[id] = true;
        }

        return size;
    }

    /// <summary>The fewest bytes any value of the type encodes to (0 for zero-sized types).</summary>
    public int MinSize(uint id) => ComputeMinSize(id, 0);

    /// <summary>Follows one-field composites (newtype wrappers) down to the type they wrap.</summary>
    public PortableType Unwrap(uint id)
    {
        var type = Resolve(id);
        for (var i = 0; i < 32 && type.Def is CompositeTypeDef { Fields.Count: 1 } c; i++)
        {
            type = Resolve(c.Fields[0].Type);
        }

        return type;
    }

    private int? ComputeFixedSize(uint id, int depth)
    {
        if (depth > 64)
        {
            return null;
        }

        var type = Resolve(id);
        switch (type.Def)
        {
            case PrimitiveTypeDef p:
                return p.Primitive switch
                {
                    PrimitiveType.Bool or PrimitiveType.U8 or PrimitiveType.I8 => 1,
                    PrimitiveType.U16 or PrimitiveType.I16 => 2,
                    PrimitiveType.U32 or PrimitiveType.I32 or PrimitiveType.Char => 4,
                    PrimitiveType.U64 or PrimitiveType.I64 => 8,
                    PrimitiveType.U128 or PrimitiveType.I128 => 16,
                    PrimitiveType.U256 or PrimitiveType.I256 => 32,
                    _ => null,
                };
            case ArrayTypeDef a:
            {
                var element = ComputeFixedSize(a.ElementType, depth + 1);
                return element is null ? null : checked((int)(element.Value * (long)a.Length));
            }

            case CompositeTypeDef c:
                return Sum(c.Fields.Select(f => f.Type), depth);
            case TupleTypeDef t:
                return Sum(t.Elements, depth);
            default:
                return null;
        }
    }

    private int ComputeMinSize(uint id, int depth)
    {
        if (FixedSize(id) is { } size)
        {
            return size;
        }

        if (depth > 16)
        {
            return 0;
        }

        return Resolve(id).Def switch
        {
            CompositeTypeDef c => (int)Math.Min(int.MaxValue, c.Fields.Sum(f => (long)ComputeMinSize(f.Type, depth + 1))),
            TupleTypeDef t => (int)Math.Min(int.MaxValue, t.Elements.Sum(e => (long)ComputeMinSize(e, depth + 1))),
            ArrayTypeDef a => (int)Math.Min(int.MaxValue, a.Length * (long)ComputeMinSize(a.ElementType, depth + 1)),
            _ => 1,
        };
    }

    private int? Sum(IEnumerable<uint> ids, int depth)
    {
        var total = 0;
        foreach (var id in ids)
        {
            var size = ComputeFixedSize(id, depth + 1);
            if (size is null)
            {
                return null;
            }

            total += size.Value;
        }

        return total;
    }
}
