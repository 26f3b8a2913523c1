using System.Buffers.Binary;
using Etrid.AiCompute.Model;
using Etrid.Substrate;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Storage;
using Etrid.Substrate.Values;

namespace Etrid.AiCompute.Schema;

/// <summary>
/// What the exporter needs from a runtime, resolved from its metadata: the storage items with their
/// hashers and types, the value codecs, the event decoder and the platform fee. Built once per
/// runtime version; <see cref="Inspect"/> reports what is present or missing.
/// </summary>
public sealed class AiComputeSchema
{
    private readonly DynamicDecoder _decoder;

    private AiComputeSchema(RuntimeMetadata metadata, Dictionary<string, StorageItem> items, ushort platformFeeBps)
    {
        Metadata = metadata;
        _decoder = new DynamicDecoder(metadata.Types);
        Jobs = items["JobMarketplace.Jobs"];
        NextJobId = items["JobMarketplace.NextJobId"];
        PendingJobs = items["JobMarketplace.PendingJobs"];
        GpuNodes = items["GpuRegistry.GpuNodes"];
        Events = items["System.Events"];
        ProviderGpus = items.GetValueOrDefault("GpuRegistry.ProviderGpus");
        PlatformFeeBps = platformFeeBps;
        JobCodec = new JobCodec(metadata.Types, Jobs.Entry.ValueType);
        GpuCodec = new GpuCodec(metadata.Types, GpuNodes.Entry.ValueType);
    }

    public RuntimeMetadata Metadata { get; }

    public StorageItem Jobs { get; }

    public StorageItem NextJobId { get; }

    public StorageItem PendingJobs { get; }

    public StorageItem GpuNodes { get; }

    public StorageItem Events { get; }

    /// <summary>Optional: used to attribute GPUs when present.</summary>
    public StorageItem? ProviderGpus { get; }

    /// <summary><c>JobMarketplace.PlatformFeeBps</c>, from the runtime's constants.</summary>
    public ushort PlatformFeeBps { get; }

    public JobCodec JobCodec { get; }

    public GpuCodec GpuCodec { get; }

    /// <summary>Resolves the schema; throws <see cref="SchemaException"/> listing every missing or retyped item.</summary>
    public static AiComputeSchema Create(RuntimeMetadata metadata)
    {
        var checks = Inspect(metadata);
        var problems = checks.Where(c => c.Required && !c.Found).Select(c => $"{c.Name}: {c.Detail}").ToList();
        if (problems.Count > 0)
        {
            throw new SchemaException("the chain lacks what the exporter needs: " + string.Join("; ", problems));
        }

        var items = new Dictionary<string, StorageItem>(StringComparer.Ordinal);
        foreach (var (pallet, name, _, _) in Wanted)
        {
            if (Find(metadata, pallet, name) is { } item)
            {
                items[$"{pallet}.{name}"] = item;
            }
        }

        var fee = metadata.FindPallet("JobMarketplace")!.FindConstant("PlatformFeeBps")!;
        var feeValue = new DynamicDecoder(metadata.Types).Decode(fee.Value, fee.Type).Integer();
        return new AiComputeSchema(metadata, items, (ushort)feeValue);
    }

    /// <summary>Every pallet, storage item and constant looked for, found or not, with hashers and types.</summary>
    public static IReadOnlyList<SchemaCheck> Inspect(RuntimeMetadata metadata)
    {
        var checks = new List<SchemaCheck>();
        foreach (var pallet in new[] { "System", "JobMarketplace", "GpuRegistry" })
        {
            var p = metadata.FindPallet(pallet);
            checks.Add(new SchemaCheck(pallet, p is not null, true, p is null ? "pallet not in the runtime" : $"pallet index {p.Index}"));
        }

        foreach (var (pallet, name, kind, required) in Wanted)
        {
            var item = Find(metadata, pallet, name);
            if (item is null)
            {
                checks.Add(new SchemaCheck($"{pallet}.{name}", false, required, "storage item not found"));
                continue;
            }

            var problem = CheckShape(metadata, item, kind);
            checks.Add(new SchemaCheck($"{pallet}.{name}", problem is null, required, problem ?? Describe(metadata, item.Entry)));
        }

        var fee = metadata.FindPallet("JobMarketplace")?.FindConstant("PlatformFeeBps");
        checks.Add(new SchemaCheck("JobMarketplace.PlatformFeeBps", fee is not null, true, fee is null ? "constant not found" : $"constant {Hex.Encode(fee.Value)}"));
        return checks;
    }

    /// <summary>Decodes a plain u64 counter value (absent: the metadata default).</summary>
    /// <exception cref="ScaleDecodeException">The value is not an unsigned 64-bit integer.</exception>
    public ulong DecodeCounter(StorageItem item, byte[]? value)
    {
        var bytes = value ?? item.Entry.Default;
        var n = _decoder.Decode(bytes, item.Entry.ValueType).Integer();
        return n >= 0 && n <= ulong.MaxValue ? (ulong)n : throw new ScaleDecodeException($"{item.Pallet}.{item.Name} is {n}, not a u64", 0);
    }

    /// <summary>Decodes a list of ids (<c>BoundedVec&lt;u64&gt;</c>; absent: empty).</summary>
    public IReadOnlyList<ulong> DecodeIdList(StorageItem item, byte[]? value)
    {
        var bytes = value ?? item.Entry.Default;
        var decoded = _decoder.Decode(bytes, item.Entry.ValueType);
        while (decoded is ScaleComposite { Fields.Count: 1 } wrapper)
        {
            decoded = wrapper.Fields[0].Value;
        }

        return decoded is ScaleSequence seq ? seq.Items.Select(i => i.AsUInt64()).ToList() : [];
    }

    /// <summary>The id in a full <c>Jobs</c> or <c>GpuNodes</c> key, as bytes (Concat hashers only).</summary>
    public static ulong IdFromKey(StorageItem item, ReadOnlySpan<byte> key)
    {
        var encoded = StorageKey.ExtractKey(key, item.Hasher);
        return encoded.Length == 8
            ? BinaryPrimitives.ReadUInt64LittleEndian(encoded)
            : throw new ScaleDecodeException($"{item.Pallet}.{item.Name} key carries {encoded.Length} bytes, expected a u64", 0);
    }

    /// <summary>The id in a full <c>Jobs</c> or <c>GpuNodes</c> key (Concat hashers only).</summary>
    public static ulong IdFromKey(StorageItem item, string hexKey)
    {
        // A cold sync reads a million of these: an ordinary key is decoded on the stack, anything else as before.
        Span<byte> buffer = stackalloc byte[96];
        var hex = hexKey.AsSpan();
        if (hex.StartsWith("0x", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        var key = hex.Length <= 2 * buffer.Length && hex.Length % 2 == 0 && Convert.FromHexString(hex, buffer, out _, out var written) == System.Buffers.OperationStatus.Done
            ? StorageKey.ExtractKey(buffer[..written], item.Hasher)
            : StorageKey.ExtractKey(Hex.Decode(hexKey), item.Hasher);
        if (key.Length != 8)
        {
            throw new ScaleDecodeException($"{item.Pallet}.{item.Name} key carries {key.Length} bytes, expected a u64", 0);
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(key);
    }

    /// <summary>The full key of a u64-keyed map entry.</summary>
    public static string KeyForId(StorageItem item, ulong id)
    {
        Span<byte> encoded = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(encoded, id);
        return item.Key(encoded);
    }

    /// <summary>Decodes <c>System.Events</c> into the two pallets' events (others are left out).</summary>
    public IReadOnlyList<ChainEvent> DecodeEvents(byte[]? value)
    {
        if (value is null)
        {
            return [];
        }

        var records = _decoder.Decode(value, Events.Entry.ValueType);
        var result = new List<ChainEvent>();
        if (records is not ScaleSequence sequence)
        {
            return result;
        }

        foreach (var record in sequence.Items)
        {
            if (!record.TryField("event", out var e) || e is not ScaleVariant { Fields.Count: 1 } outer ||
                outer.Name is not ("JobMarketplace" or "GpuRegistry") || outer.Fields[0].Value is not ScaleVariant inner)
            {
                continue;
            }

            ulong? jobId = inner.TryField("job_id", out var j) ? j.AsUInt64() : null;
            ulong? gpuId = inner.TryField("gpu_id", out var g) ? g.AsUInt64() : null;
            byte[]? provider = inner.TryField("provider", out var p) ? p.AsBytes() : null;
            result.Add(new ChainEvent(outer.Name, inner.Name, jobId, gpuId, provider));
        }

        return result;
    }

    private static readonly (string Pallet, string Name, ItemKind Kind, bool Required)[] Wanted =
    [
        ("System", "Events", ItemKind.Plain, true),
        ("JobMarketplace", "Jobs", ItemKind.U64Map, true),
        ("JobMarketplace", "NextJobId", ItemKind.Plain, true),
        ("JobMarketplace", "PendingJobs", ItemKind.Plain, true),
        ("GpuRegistry", "GpuNodes", ItemKind.U64Map, true),
        ("GpuRegistry", "ProviderGpus", ItemKind.AccountMap, false),
    ];

    private enum ItemKind
    {
        Plain,
        U64Map,
        AccountMap,
    }

    private static StorageItem? Find(RuntimeMetadata metadata, string pallet, string name)
    {
        var p = metadata.FindPallet(pallet);
        if (p?.Storage is null || p.FindStorage(name) is not { } entry)
        {
            return null;
        }

        return new StorageItem(pallet, name, StorageKey.Prefix(p.Storage.Prefix, name), entry);
    }

    private static string? CheckShape(RuntimeMetadata metadata, StorageItem item, ItemKind kind)
    {
        var entry = item.Entry;
        switch (kind)
        {
            case ItemKind.Plain when entry.IsMap:
                return "expected a plain value, found a map";
            case ItemKind.U64Map or ItemKind.AccountMap when !entry.IsMap || entry.Hashers.Count != 1:
                return "expected a single-key map";
            case ItemKind.U64Map or ItemKind.AccountMap when !entry.Hashers[0].IsReversible():
                return $"hasher {entry.Hashers[0]} hides the key; a Concat or Identity hasher is needed";
            case ItemKind.U64Map when metadata.Types.Resolve(entry.KeyType!.Value).Def is not PrimitiveTypeDef { Primitive: PrimitiveType.U64 }:
                return "key is not a u64";
            default:
                return null;
        }
    }

    private static string Describe(RuntimeMetadata metadata, StorageEntryMetadata entry)
    {
        string Type(uint id)
        {
            var t = metadata.Types.Resolve(id);
            return t.Def is PrimitiveTypeDef p ? p.Primitive.ToString().ToLowerInvariant() : t.Path.Count > 0 ? t.Path[^1] : $"type {id}";
        }

        var modifier = entry.Modifier == StorageEntryModifier.Optional ? "optional" : "default";
        return entry.IsMap
            ? $"map [{string.Join(", ", entry.Hashers)}] {Type(entry.KeyType!.Value)} -> {Type(entry.ValueType)}, {modifier}"
            : $"value {Type(entry.ValueType)}, {modifier}";
    }
}
