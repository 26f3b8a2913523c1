using System.Numerics;
using Etrid.Substrate.Metadata;

namespace Etrid.Substrate.Values;

/// <summary>
/// A decoded value of any registry type: the tree that <see cref="DynamicDecoder"/> builds. Readers
/// pick struct fields and enum variants by name, so an appended field does not break them.
/// </summary>
public abstract record ScaleValue
{
    /// <summary>The value as an unsigned integer that must fit in a u64.</summary>
    public ulong AsUInt64() => Integer() is var v && v >= 0 && v <= ulong.MaxValue
        ? (ulong)v
        : throw new MetadataException($"{v} does not fit in u64");

    /// <summary>The value as an unsigned integer that must fit in a u128.</summary>
    public UInt128 AsUInt128() => Integer() is var v && v >= 0 && v <= UInt128.MaxValue
        ? (UInt128)v
        : throw new MetadataException($"{v} does not fit in u128");

    /// <summary>The value as a big integer (any integer type, or a one-field wrapper of one).</summary>
    public BigInteger Integer() => this switch
    {
        ScaleInteger i => i.Value,
        ScaleComposite { Fields.Count: 1 } c => c.Fields[0].Value.Integer(),
        _ => throw new MetadataException($"expected an integer, found {Describe()}"),
    };

    /// <summary>The bytes of a byte sequence or array (or a one-field wrapper of one, such as AccountId32).</summary>
    public byte[] AsBytes() => this switch
    {
        ScaleBytes b => b.Value,
        ScaleComposite { Fields.Count: 1 } c => c.Fields[0].Value.AsBytes(),
        _ => throw new MetadataException($"expected bytes, found {Describe()}"),
    };

    /// <summary>The text of a string (or a one-field wrapper of one, such as <c>Cow&lt;str&gt;</c>).</summary>
    public string AsText() => this switch
    {
        ScaleString s => s.Value,
        ScaleComposite { Fields.Count: 1 } c => c.Fields[0].Value.AsText(),
        _ => throw new MetadataException($"expected a string, found {Describe()}"),
    };

    /// <summary>The field named <paramref name="name"/> of a struct or struct-like variant.</summary>
    /// <exception cref="MetadataException">Not a struct, or no such field.</exception>
    public ScaleValue Field(string name) => TryField(name, out var value)
        ? value
        : throw new MetadataException($"no field '{name}' in {Describe()}");

    /// <summary>Looks up a field by name in a struct or variant.</summary>
    public bool TryField(string name, out ScaleValue value)
    {
        var fields = this switch
        {
            ScaleComposite c => c.Fields,
            ScaleVariant v => v.Fields,
            _ => [],
        };
        foreach (var f in fields)
        {
            if (f.Name == name)
            {
                value = f.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    /// <summary>For an <c>Option</c>: the inner value of Some, or null for None.</summary>
    public ScaleValue? AsOption() => this switch
    {
        ScaleVariant { Name: "None" } => null,
        ScaleVariant { Name: "Some", Fields.Count: 1 } v => v.Fields[0].Value,
        _ => throw new MetadataException($"expected an Option, found {Describe()}"),
    };

    /// <summary>A short description for error messages.</summary>
    public abstract string Describe();
}

/// <summary>A named or unnamed field of a decoded struct or variant.</summary>
public sealed record ScaleField(string? Name, ScaleValue Value);

/// <summary>A boolean.</summary>
public sealed record ScaleBool(bool Value) : ScaleValue
{
    public override string Describe() => $"bool {Value}";
}

/// <summary>A Unicode scalar value (SCALE <c>char</c>).</summary>
public sealed record ScaleChar(int CodePoint) : ScaleValue
{
    public override string Describe() => $"char U+{CodePoint:X4}";
}

/// <summary>A string.</summary>
public sealed record ScaleString(string Value) : ScaleValue
{
    public override string Describe() => $"string \"{Value}\"";
}

/// <summary>An integer of any width, compact or fixed.</summary>
public sealed record ScaleInteger(BigInteger Value) : ScaleValue
{
    public override string Describe() => $"integer {Value}";
}

/// <summary>A byte sequence or byte array.</summary>
public sealed record ScaleBytes(byte[] Value) : ScaleValue
{
    public override string Describe() => $"{Value.Length} bytes";
}

/// <summary>A struct, tuple struct or tuple.</summary>
public sealed record ScaleComposite(IReadOnlyList<ScaleField> Fields) : ScaleValue
{
    public override string Describe() => $"struct of {Fields.Count} field(s)";
}

/// <summary>An enum variant.</summary>
public sealed record ScaleVariant(string Name, byte Index, IReadOnlyList<ScaleField> Fields) : ScaleValue
{
    public override string Describe() => $"variant {Name}";
}

/// <summary>A sequence or array of non-byte items.</summary>
public sealed record ScaleSequence(IReadOnlyList<ScaleValue> Items) : ScaleValue
{
    public override string Describe() => $"sequence of {Items.Count}";
}

/// <summary>A bit sequence.</summary>
public sealed record ScaleBitSequence(bool[] Bits) : ScaleValue
{
    public override string Describe() => $"{Bits.Length} bits";
}
