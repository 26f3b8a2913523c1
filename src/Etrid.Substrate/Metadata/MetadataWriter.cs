using Etrid.Substrate.Scale;

namespace Etrid.Substrate.Metadata;

/// <summary>
/// Encodes <see cref="RuntimeMetadata"/> as <c>RuntimeMetadataPrefixed</c>, the exact inverse of
/// <see cref="MetadataParser"/>. The dev chain serves metadata written with it.
/// </summary>
public static class MetadataWriter
{
    /// <summary>Encodes metadata, starting with the magic number and version byte.</summary>
    public static byte[] Write(RuntimeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Version is not (14 or 15))
        {
            throw new MetadataException($"metadata version {metadata.Version} cannot be written (supported: 14, 15)");
        }

        var w = new ScaleWriter(64 * 1024);
        w.WriteBytes(MetadataParser.Magic).WriteU8(metadata.Version);
        WriteList(w, metadata.Types.Types, WritePortableType);
        WriteList(w, metadata.Pallets, (ww, p) => WritePallet(ww, p, metadata.Version));
        var x = metadata.Extrinsic;
        if (metadata.Version == 14)
        {
            WriteType(w, Required(x.Type, "extrinsic type"));
            w.WriteU8(x.Version);
        }
        else
        {
            w.WriteU8(x.Version);
            WriteType(w, Required(x.AddressType, "extrinsic address type"));
            WriteType(w, Required(x.CallType, "extrinsic call type"));
            WriteType(w, Required(x.SignatureType, "extrinsic signature type"));
            WriteType(w, Required(x.ExtraType, "extrinsic extra type"));
        }

        WriteList(w, x.SignedExtensions, (ww, e) =>
        {
            ww.WriteString(e.Identifier);
            WriteType(ww, e.Type);
            WriteType(ww, e.AdditionalSigned);
        });
        WriteType(w, metadata.RuntimeType);
        if (metadata.Version == 15)
        {
            WriteList(w, metadata.Apis, WriteRuntimeApi);
            var outer = metadata.OuterEnums ?? throw new MetadataException("V15 metadata needs outer enums");
            WriteType(w, outer.CallType);
            WriteType(w, outer.EventType);
            WriteType(w, outer.ErrorType);
            WriteList(w, metadata.Custom, (ww, c) =>
            {
                ww.WriteString(c.Name);
                WriteType(ww, c.Type);
                ww.WriteByteVector(c.Value);
            });
        }

        return w.ToArray();
    }

    private static uint Required(uint? value, string what) =>
        value ?? throw new MetadataException($"metadata lacks the {what}");

    private static void WritePortableType(ScaleWriter w, PortableType t)
    {
        w.WriteCompact(t.Id);
        WriteStrings(w, t.Path);
        WriteList(w, t.Params, (ww, p) =>
        {
            ww.WriteString(p.Name);
            WriteOptionalType(ww, p.Type);
        });
        switch (t.Def)
        {
            case CompositeTypeDef c:
                w.WriteU8(0);
                WriteList(w, c.Fields, WriteField);
                break;
            case VariantTypeDef v:
                w.WriteU8(1);
                WriteList(w, v.Variants, (ww, variant) =>
                {
                    ww.WriteString(variant.Name);
                    WriteList(ww, variant.Fields, WriteField);
                    ww.WriteU8(variant.Index);
                    WriteStrings(ww, variant.Docs);
                });
                break;
            case SequenceTypeDef s:
                w.WriteU8(2);
                WriteType(w, s.ElementType);
                break;
            case ArrayTypeDef a:
                w.WriteU8(3).WriteU32(a.Length);
                WriteType(w, a.ElementType);
                break;
            case TupleTypeDef tuple:
                w.WriteU8(4);
                WriteList(w, tuple.Elements, WriteType);
                break;
            case PrimitiveTypeDef p:
                w.WriteU8(5).WriteU8((byte)p.Primitive);
                break;
            case CompactTypeDef c:
                w.WriteU8(6);
                WriteType(w, c.Type);
                break;
            case BitSequenceTypeDef b:
                w.WriteU8(7);
                WriteType(w, b.StoreType);
                WriteType(w, b.OrderType);
                break;
            default:
                throw new MetadataException($"type {t.Id} has an unknown definition {t.Def.GetType().Name}");
        }

        WriteStrings(w, t.Docs);
    }

    private static void WriteField(ScaleWriter w, TypeField f)
    {
        WriteOptionalString(w, f.Name);
        WriteType(w, f.Type);
        WriteOptionalString(w, f.TypeName);
        WriteStrings(w, f.Docs);
    }

    private static void WritePallet(ScaleWriter w, PalletMetadata p, byte version)
    {
        w.WriteString(p.Name);
        if (p.Storage is null)
        {
            w.WriteU8(0);
        }
        else
        {
            w.WriteU8(1).WriteString(p.Storage.Prefix);
            WriteList(w, p.Storage.Entries, WriteStorageEntry);
        }

        WriteOptionalType(w, p.CallType);
        WriteOptionalType(w, p.EventType);
        WriteList(w, p.Constants, (ww, c) =>
        {
            ww.WriteString(c.Name);
            WriteType(ww, c.Type);
            ww.WriteByteVector(c.Value);
            WriteStrings(ww, c.Docs);
        });
        WriteOptionalType(w, p.ErrorType);
        w.WriteU8(p.Index);
        if (version >= 15)
        {
            WriteStrings(w, p.Docs);
        }
    }

    private static void WriteStorageEntry(ScaleWriter w, StorageEntryMetadata e)
    {
        w.WriteString(e.Name).WriteU8((byte)e.Modifier);
        if (e.IsMap)
        {
            w.WriteU8(1);
            WriteList(w, e.Hashers, (ww, h) => ww.WriteU8((byte)h));
            WriteType(w, Required(e.KeyType, $"key type of map {e.Name}"));
        }
        else
        {
            w.WriteU8(0);
        }

        WriteType(w, e.ValueType);
        w.WriteByteVector(e.Default);
        WriteStrings(w, e.Docs);
    }

    private static void WriteRuntimeApi(ScaleWriter w, RuntimeApiMetadata api)
    {
        w.WriteString(api.Name);
        WriteList(w, api.Methods, (ww, m) =>
        {
            ww.WriteString(m.Name);
            WriteList(ww, m.Inputs, (wi, input) =>
            {
                wi.WriteString(input.Name);
                WriteType(wi, input.Type);
            });
            WriteType(ww, m.Output);
            WriteStrings(ww, m.Docs);
        });
        WriteStrings(w, api.Docs);
    }

    private static void WriteType(ScaleWriter w, uint id) => w.WriteCompact(id);

    private static void WriteOptionalType(ScaleWriter w, uint? id)
    {
        if (id is null)
        {
            w.WriteU8(0);
        }
        else
        {
            w.WriteU8(1).WriteCompact(id.Value);
        }
    }

    private static void WriteOptionalString(ScaleWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteU8(0);
        }
        else
        {
            w.WriteU8(1).WriteString(value);
        }
    }

    private static void WriteStrings(ScaleWriter w, IReadOnlyList<string> values) => WriteList(w, values, (ww, s) => ww.WriteString(s));

    private static void WriteList<T>(ScaleWriter w, IReadOnlyList<T> items, Action<ScaleWriter, T> writeItem)
    {
        w.WriteCompact((uint)items.Count);
        foreach (var item in items)
        {
            writeItem(w, item);
        }
    }
}
