using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;

namespace Etrid.AiCompute.Schema;

/// <summary>A field-less enum read by variant name: the metadata's index of each name is mapped once to <typeparamref name="TEnum"/>.</summary>
internal sealed class VariantField<TEnum>
    where TEnum : struct, Enum
{
    private readonly TEnum?[] _byIndex = new TEnum?[256];

    public VariantField(TypeRegistry types, uint typeId, string what)
    {
        if (types.Resolve(typeId).Def is not VariantTypeDef def)
        {
            throw new SchemaException($"{what} is not an enum");
        }

        foreach (var name in Enum.GetNames<TEnum>())
        {
            var variant = def.FindByName(name) ?? throw new SchemaException($"{what} has no variant '{name}' (has {string.Join(", ", def.Variants.Select(v => v.Name))})");
            if (variant.Fields.Count > 0)
            {
                throw new SchemaException($"{what} variant '{name}' has fields; expected none");
            }

            _byIndex[variant.Index] = Enum.Parse<TEnum>(name);
        }
    }

    public TEnum Read(ref ScaleReader reader)
    {
        var offset = reader.Position;
        var index = reader.ReadU8();
        return _byIndex[index] ?? throw new ScaleDecodeException($"variant index {index} is not a known {typeof(TEnum).Name}", offset);
    }
}
