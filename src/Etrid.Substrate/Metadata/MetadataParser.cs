using Etrid.Substrate.Scale;
using Etrid.Substrate.Storage;

namespace Etrid.Substrate.Metadata;

/// <summary>
/// Parses <c>RuntimeMetadataPrefixed</c> V14 and V15, plain or wrapped in the
/// <c>Option&lt;OpaqueMetadata&gt;</c> that <c>Metadata_metadata_at_version</c> returns.
/// </summary>
public static class MetadataParser
{
    /// <summary>The magic number <c>meta</c> that starts every metadata blob.</summary>
    public static ReadOnlySpan<byte> Magic => "meta"u8;

    /// <summary>Parses metadata from 0x-prefixed hex.</summary>
    public static RuntimeMetadata ParseHex(string hex) => Parse(Hex.Decode(hex));

    /// <summary>Parses metadata bytes; every byte must be consumed.</summary>
    /// <exception cref="MetadataException">Unsupported version, a bad magic number or malformed content.</exception>
    public static RuntimeMetadata Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new ScaleReader(bytes);
        try
        {
            if (!bytes.StartsWith(Magic))
            {
                // The Option<OpaqueMetadata> from state_call: 01 ++ Compact(len) ++ metadata.
                var tag = reader.ReadOptionTag();
                if (!tag)
                {
                    throw new MetadataException("the runtime returned None: this metadata version is not available");
                }

                var inner = reader.ReadByteVector();
                reader.EnsureAtEnd("Option<OpaqueMetadata>");
                if (!inner.StartsWith(Magic))
                {
                    throw new MetadataException("metadata does not start with the magic number 'meta' (0x6d657461)");
                }

                reader = new ScaleReader(inner);
            }

            reader.Skip(4);
            var version = reader.ReadU8();
            if (version is not (14 or 15))
            {
                throw new MetadataException($"metadata version {version} is not supported (supported: 14, 15)");
            }

            var metadata = ReadBody(ref reader, version);
            reader.EnsureAtEnd("RuntimeMetadata");
            return metadata;
        }
        catch (ScaleDecodeException e)
        {
            throw new MetadataException($"malformed metadata: {e.Message}", e);
        }
    }

    private static RuntimeMetadata ReadBody(ref ScaleReader reader, byte version)
    {
        var types = ReadRegistry(ref reader);
        var pallets = ReadList(ref reader, (ref ScaleReader r) => ReadPallet(ref r, version));
        ExtrinsicMetadata extrinsic;
        if (version == 14)
        {
            var ty = ReadType(ref reader);
            var extrinsicVersion = reader.ReadU8();
            var extensions = ReadList(ref reader, ReadSignedExtension);
            extrinsic = new ExtrinsicMetadata(extrinsicVersion, ty, null, null, null, null, extensions);
        }
        else
        {
            var extrinsicVersion = reader.ReadU8();
            var address = ReadType(ref reader);
            var call = ReadType(ref reader);
            var signature = ReadType(ref reader);
            var extra = ReadType(ref reader);
            var extensions = ReadList(ref reader, ReadSignedExtension);
            extrinsic = new ExtrinsicMetadata(extrinsicVersion, null, address, call, signature, extra, extensions);
        }

        var runtimeType = ReadType(ref reader);
        if (version == 14)
        {
            return new RuntimeMetadata(version, types, pallets, extrinsic, runtimeType, [], null, []);
        }

        var apis = ReadList(ref reader, ReadRuntimeApi);
        var outer = new OuterEnums(ReadType(ref reader), ReadType(ref reader), ReadType(ref reader));
        var custom = ReadList(ref reader, (ref ScaleReader r) =>
            new CustomValueMetadata(r.ReadString(), ReadType(ref r), r.ReadByteVector().ToArray()));
        return new RuntimeMetadata(version, types, pallets, extrinsic, runtimeType, apis, outer, custom);
    }

    private static TypeRegistry ReadRegistry(ref ScaleReader reader)
    {
        var types = ReadList(ref reader, ReadPortableType);
        return new TypeRegistry(types);
    }

    private static PortableType ReadPortableType(ref ScaleReader reader)
    {
        var id = reader.ReadCompactU32();
        var path = ReadStrings(ref reader);
        var parameters = ReadList(ref reader, (ref ScaleReader r) =>
        {
            var name = r.ReadString();
            uint? ty = r.ReadOptionTag() ? ReadType(ref r) : null;
            return new TypeParameter(name, ty);
        });
        var def = ReadTypeDef(ref reader, id);
        var docs = ReadStrings(ref reader);
        return new PortableType(id, path, parameters, def, docs);
    }

    private static TypeDef ReadTypeDef(ref ScaleReader reader, uint id)
    {
        var offset = reader.Position;
        var kind = reader.ReadU8();
        switch (kind)
        {
            case 0:
                return new CompositeTypeDef(ReadList(ref reader, ReadField));
            case 1:
                return new VariantTypeDef(ReadList(ref reader, (ref ScaleReader r) =>
                    new TypeVariant(r.ReadString(), ReadList(ref r, ReadField), r.ReadU8(), ReadStrings(ref r))));
            case 2:
                return new SequenceTypeDef(ReadType(ref reader));
            case 3:
                return new ArrayTypeDef(reader.ReadU32(), ReadType(ref reader));
            case 4:
                return new TupleTypeDef(ReadList(ref reader, ReadType));
            case 5:
            {
                var primitiveOffset = reader.Position;
                var primitive = reader.ReadU8();
                if (primitive > (byte)PrimitiveType.I256)
                {
                    throw new ScaleDecodeException($"unknown primitive {primitive} in type {id}", primitiveOffset);
                }

                return new PrimitiveTypeDef((PrimitiveType)primitive);
            }

            case 6:
                return new CompactTypeDef(ReadType(ref reader));
            case 7:
                return new BitSequenceTypeDef(ReadType(ref reader), ReadType(ref reader));
            default:
                throw new ScaleDecodeException($"unknown type definition kind {kind} in type {id}", offset);
        }
    }

    private static TypeField ReadField(ref ScaleReader reader)
    {
        var name = ReadOptionalString(ref reader);
        var ty = ReadType(ref reader);
        var typeName = ReadOptionalString(ref reader);
        var docs = ReadStrings(ref reader);
        return new TypeField(name, ty, typeName, docs);
    }

    private static PalletMetadata ReadPallet(ref ScaleReader reader, byte version)
    {
        var name = reader.ReadString();
        PalletStorageMetadata? storage = null;
        if (reader.ReadOptionTag())
        {
            var prefix = reader.ReadString();
            var entries = ReadList(ref reader, ReadStorageEntry);
            storage = new PalletStorageMetadata(prefix, entries);
        }

        var calls = ReadOptionalType(ref reader);
        var events = ReadOptionalType(ref reader);
        var constants = ReadList(ref reader, (ref ScaleReader r) =>
            new PalletConstantMetadata(r.ReadString(), ReadType(ref r), r.ReadByteVector().ToArray(), ReadStrings(ref r)));
        var errors = ReadOptionalType(ref reader);
        var index = reader.ReadU8();
        IReadOnlyList<string> docs = version >= 15 ? ReadStrings(ref reader) : [];
        return new PalletMetadata(name, storage, calls, events, constants, errors, index, docs);
    }

    private static StorageEntryMetadata ReadStorageEntry(ref ScaleReader reader)
    {
        var name = reader.ReadString();
        var modifierOffset = reader.Position;
        var modifier = reader.ReadU8();
        if (modifier > 1)
        {
            throw new ScaleDecodeException($"unknown storage modifier {modifier} in entry {name}", modifierOffset);
        }

        var kindOffset = reader.Position;
        var kind = reader.ReadU8();
        bool isMap;
        IReadOnlyList<StorageHasher> hashers;
        uint? key = null;
        uint value;
        switch (kind)
        {
            case 0:
                isMap = false;
                hashers = [];
                value = ReadType(ref reader);
                break;
            case 1:
                isMap = true;
                hashers = ReadList(ref reader, (ref ScaleReader r) =>
                {
                    var offset = r.Position;
                    var h = r.ReadU8();
                    return h <= (byte)StorageHasher.Identity
                        ? (StorageHasher)h
                        : throw new ScaleDecodeException($"unknown storage hasher {h}", offset);
                });
                key = ReadType(ref reader);
                value = ReadType(ref reader);
                break;
            default:
                throw new ScaleDecodeException($"unknown storage entry kind {kind} in entry {name}", kindOffset);
        }

        var defaultValue = reader.ReadByteVector().ToArray();
        var docs = ReadStrings(ref reader);
        return new StorageEntryMetadata(name, (StorageEntryModifier)modifier, isMap, hashers, key, value, defaultValue, docs);
    }

    private static SignedExtensionMetadata ReadSignedExtension(ref ScaleReader reader) =>
        new(reader.ReadString(), ReadType(ref reader), ReadType(ref reader));

    private static RuntimeApiMetadata ReadRuntimeApi(ref ScaleReader reader)
    {
        var name = reader.ReadString();
        var methods = ReadList(ref reader, (ref ScaleReader r) =>
        {
            var methodName = r.ReadString();
            var inputs = ReadList(ref r, (ref ScaleReader ri) => (ri.ReadString(), ReadType(ref ri)));
            var output = ReadType(ref r);
            var docs = ReadStrings(ref r);
            return new RuntimeApiMethodMetadata(methodName, inputs, output, docs);
        });
        return new RuntimeApiMetadata(name, methods, ReadStrings(ref reader));
    }

    private static uint ReadType(ref ScaleReader reader) => reader.ReadCompactU32();

    private static uint? ReadOptionalType(ref ScaleReader reader) => reader.ReadOptionTag() ? ReadType(ref reader) : null;

    private static string? ReadOptionalString(ref ScaleReader reader) => reader.ReadOptionTag() ? reader.ReadString() : null;

    private static string[] ReadStrings(ref ScaleReader reader) => ReadList(ref reader, (ref ScaleReader r) => r.ReadString());

    private delegate T ItemReader<out T>(ref ScaleReader reader);

    private static T[] ReadList<T>(ref ScaleReader reader, ItemReader<T> readItem)
    {
        var count = reader.ReadLength();
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = readItem(ref reader);
        }

        return items;
    }
}
