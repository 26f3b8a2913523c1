namespace Etrid.Substrate.Metadata;

/// <summary>
/// Builds a portable type registry by hand, reusing an identical type instead of adding it twice.
/// Used to write metadata (the dev chain) and to build small registries in tests.
/// </summary>
public sealed class TypeRegistryBuilder
{
    private readonly List<PortableType> _types = [];
    private readonly Dictionary<string, uint> _byShape = new(StringComparer.Ordinal);

    public uint Primitive(PrimitiveType primitive) => Add([], [], new PrimitiveTypeDef(primitive));

    public uint Sequence(uint element) => Add([], [], new SequenceTypeDef(element));

    public uint Array(uint length, uint element) => Add([], [], new ArrayTypeDef(length, element));

    public uint Tuple(params uint[] elements) => Add([], [], new TupleTypeDef(elements));

    public uint Compact(uint type) => Add([], [], new CompactTypeDef(type));

    /// <summary>A struct with named fields (<c>(name, type, typeName)</c>) or, with null names, a tuple struct.</summary>
    public uint Composite(string path, params (string? Name, uint Type, string? TypeName)[] fields) =>
        Composite(path, [], fields);

    public uint Composite(string path, IReadOnlyList<TypeParameter> parameters, params (string? Name, uint Type, string? TypeName)[] fields) =>
        Add(SplitPath(path), parameters, new CompositeTypeDef(fields.Select(f => new TypeField(f.Name, f.Type, f.TypeName, [])).ToArray()));

    /// <summary>An enum; each variant has an index and fields.</summary>
    public uint Variant(string path, params (string Name, byte Index, (string? Name, uint Type, string? TypeName)[] Fields)[] variants) =>
        Variant(path, [], variants);

    public uint Variant(string path, IReadOnlyList<TypeParameter> parameters, params (string Name, byte Index, (string? Name, uint Type, string? TypeName)[] Fields)[] variants) =>
        Add(SplitPath(path), parameters, new VariantTypeDef(variants
            .Select(v => new TypeVariant(v.Name, v.Fields.Select(f => new TypeField(f.Name, f.Type, f.TypeName, [])).ToArray(), v.Index, []))
            .ToArray()));

    /// <summary><c>Option&lt;T&gt;</c> as Rust's scale-info describes it: None 0, Some(T) 1.</summary>
    public uint Option(uint inner) =>
        Variant("Option", [new TypeParameter("T", inner)], ("None", 0, []), ("Some", 1, [(null, inner, null)]));

    /// <summary>Adds a type of any definition without a path (bit sequences, for instance).</summary>
    public uint Add(TypeDef def) => Add([], [], def);

    /// <summary>The registry built so far.</summary>
    public TypeRegistry Build() => new(_types.ToArray());

    private uint Add(IReadOnlyList<string> path, IReadOnlyList<TypeParameter> parameters, TypeDef def)
    {
        var shape = Shape(path, parameters, def);
        if (_byShape.TryGetValue(shape, out var existing))
        {
            return existing;
        }

        var id = (uint)_types.Count;
        _types.Add(new PortableType(id, path, parameters, def, []));
        _byShape[shape] = id;
        return id;
    }

    private static string[] SplitPath(string path) => path.Length == 0 ? [] : path.Split("::");

    private static string Shape(IReadOnlyList<string> path, IReadOnlyList<TypeParameter> parameters, TypeDef def)
    {
        static string Fields(IReadOnlyList<TypeField> fields) => string.Join(",", fields.Select(f => $"{f.Name}:{f.Type}:{f.TypeName}"));
        var body = def switch
        {
            CompositeTypeDef c => "C(" + Fields(c.Fields) + ")",
            VariantTypeDef v => "V(" + string.Join(";", v.Variants.Select(x => $"{x.Name}@{x.Index}({Fields(x.Fields)})")) + ")",
            SequenceTypeDef s => $"S({s.ElementType})",
            ArrayTypeDef a => $"A({a.Length},{a.ElementType})",
            TupleTypeDef t => "T(" + string.Join(",", t.Elements) + ")",
            PrimitiveTypeDef p => $"P({p.Primitive})",
            CompactTypeDef c => $"K({c.Type})",
            BitSequenceTypeDef b => $"B({b.StoreType},{b.OrderType})",
            _ => throw new MetadataException("unknown type definition"),
        };
        return string.Join("::", path) + "<" + string.Join(",", parameters.Select(p => $"{p.Name}={p.Type}")) + ">" + body;
    }
}
