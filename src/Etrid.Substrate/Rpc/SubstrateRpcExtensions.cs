using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>Typed Substrate JSON-RPC calls over <see cref="ISubstrateRpc"/>.</summary>
public static class SubstrateRpcExtensions
{
    /// <summary>Largest page <c>state_getKeysPaged</c> accepts.</summary>
    public const int MaxKeysPerPage = 1000;

    public static async Task<string?> GetBlockHashAsync(this ISubstrateRpc rpc, uint? number, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("chain_getBlockHash", number is null ? [] : [number.Value], ct).ConfigureAwait(false);
        return NullableString(result, "chain_getBlockHash");
    }

    public static async Task<BlockHeader?> GetHeaderAsync(this ISubstrateRpc rpc, string? blockHash, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("chain_getHeader", blockHash is null ? [] : [blockHash], ct).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : Parse(result, "chain_getHeader", BlockHeader.Parse);
    }

    public static async Task<string> GetFinalizedHeadAsync(this ISubstrateRpc rpc, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("chain_getFinalizedHead", [], ct).ConfigureAwait(false);
        return NullableString(result, "chain_getFinalizedHead") ?? throw Malformed("chain_getFinalizedHead", "null");
    }

    public static async Task<RuntimeVersion> GetRuntimeVersionAsync(this ISubstrateRpc rpc, string? blockHash, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("state_getRuntimeVersion", blockHash is null ? [] : [blockHash], ct).ConfigureAwait(false);
        return Parse(result, "state_getRuntimeVersion", RuntimeVersion.Parse);
    }

    /// <summary>V14 metadata via <c>state_getMetadata</c>, as bytes.</summary>
    public static async Task<byte[]> GetMetadataAsync(this ISubstrateRpc rpc, string? blockHash, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("state_getMetadata", blockHash is null ? [] : [blockHash], ct).ConfigureAwait(false);
        return HexBytes(result, "state_getMetadata") ?? throw Malformed("state_getMetadata", "null");
    }

    /// <summary>
    /// The newest metadata the runtime offers: V15 through <c>Metadata_metadata_at_version</c> when the
    /// runtime has Metadata API ≥ 2 and returns Some, else V14 through <c>state_getMetadata</c>.
    /// </summary>
    public static async Task<byte[]> GetLatestMetadataAsync(this ISubstrateRpc rpc, RuntimeVersion version, string? blockHash, CancellationToken ct)
    {
        if (version.SupportsMetadataAtVersion)
        {
            var opaque = await rpc.StateCallAsync("Metadata_metadata_at_version", [0x0f, 0, 0, 0], blockHash, ct).ConfigureAwait(false);
            if (opaque.Length > 1 && opaque[0] == 1)
            {
                return opaque;
            }
        }

        return await rpc.GetMetadataAsync(blockHash, ct).ConfigureAwait(false);
    }

    public static async Task<byte[]> StateCallAsync(this ISubstrateRpc rpc, string method, byte[] args, string? blockHash, CancellationToken ct)
    {
        object?[] p = blockHash is null ? [method, Hex.Encode(args)] : [method, Hex.Encode(args), blockHash];
        var result = await rpc.RequestAsync("state_call", p, ct).ConfigureAwait(false);
        return HexBytes(result, "state_call") ?? throw Malformed("state_call", "null");
    }

    /// <summary>The value at a key, or null when absent.</summary>
    public static async Task<byte[]?> GetStorageAsync(this ISubstrateRpc rpc, byte[] key, string? blockHash, CancellationToken ct)
    {
        object?[] p = blockHash is null ? [Hex.Encode(key)] : [Hex.Encode(key), blockHash];
        var result = await rpc.RequestAsync("state_getStorage", p, ct).ConfigureAwait(false);
        return HexBytes(result, "state_getStorage");
    }

    /// <summary>Values of many keys at one block (<c>state_queryStorageAt</c>), in request order.</summary>
    public static async Task<StorageChangeSet> QueryStorageAtAsync(this ISubstrateRpc rpc, IReadOnlyList<string> keys, string? blockHash, CancellationToken ct)
    {
        object?[] p = blockHash is null ? [keys] : [keys, blockHash];
        var result = await rpc.RequestAsync("state_queryStorageAt", p, ct).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("state_queryStorageAt", $"expected an array, got {result.ValueKind}");
        }

        if (result.GetArrayLength() == 0)
        {
            return new StorageChangeSet(blockHash ?? string.Empty, []);
        }

        return Parse(result[0], "state_queryStorageAt", StorageChangeSet.Parse);
    }

    /// <summary>
    /// Values of many keys at one block (<c>state_queryStorageAt</c>), in request order, decoded from the answer's bytes
    /// into <see cref="StorageValues"/>: what a cold sync reads, without a string per key or value.
    /// </summary>
    public static async Task<StorageValues> QueryStorageValuesAsync(this ISubstrateRpc rpc, IReadOnlyList<string> keys, string? blockHash, CancellationToken ct)
    {
        object?[] p = blockHash is null ? [keys] : [keys, blockHash];
        return await rpc.RequestAsync<StorageValues>("state_queryStorageAt", p, ct).ConfigureAwait(false);
    }

    /// <summary>One page of keys under a prefix, after <paramref name="startKey"/>.</summary>
    public static async Task<IReadOnlyList<string>> GetKeysPagedAsync(this ISubstrateRpc rpc, byte[] prefix, int count, string? startKey, string? blockHash, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxKeysPerPage);
        var result = await rpc.RequestAsync("state_getKeysPaged", [Hex.Encode(prefix), count, startKey, blockHash], ct).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("state_getKeysPaged", $"expected an array, got {result.ValueKind}");
        }

        var keys = new List<string>(result.GetArrayLength());
        foreach (var k in result.EnumerateArray())
        {
            keys.Add(k.GetString() ?? throw Malformed("state_getKeysPaged", "a key is not a string"));
        }

        return keys;
    }

    /// <summary>
    /// One page of keys under a prefix, after <paramref name="startKey"/>, decoded from the answer's bytes into
    /// <see cref="StorageKeys"/>: what a cold sync lists, without a string per key.
    /// </summary>
    public static async Task<StorageKeys> GetKeyPageAsync(this ISubstrateRpc rpc, byte[] prefix, int count, string? startKey, string? blockHash, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxKeysPerPage);
        return await rpc.RequestAsync<StorageKeys>("state_getKeysPaged", [Hex.Encode(prefix), count, startKey, blockHash], ct).ConfigureAwait(false);
    }

    public static async Task<string> GetSystemChainAsync(this ISubstrateRpc rpc, CancellationToken ct)
    {
        var result = await rpc.RequestAsync("system_chain", [], ct).ConfigureAwait(false);
        return NullableString(result, "system_chain") ?? string.Empty;
    }

    public static async Task<JsonElement> GetSystemPropertiesAsync(this ISubstrateRpc rpc, CancellationToken ct) =>
        await rpc.RequestAsync("system_properties", [], ct).ConfigureAwait(false);

    public static Task<RpcSubscription> SubscribeFinalizedHeadsAsync(this ISubstrateRpc rpc, CancellationToken ct) =>
        rpc.SubscribeAsync("chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads", [], watchHeads: true, ct);

    public static Task<RpcSubscription> SubscribeNewHeadsAsync(this ISubstrateRpc rpc, CancellationToken ct) =>
        rpc.SubscribeAsync("chain_subscribeNewHeads", "chain_unsubscribeNewHeads", [], watchHeads: true, ct);

    public static Task<RpcSubscription> SubscribeRuntimeVersionAsync(this ISubstrateRpc rpc, CancellationToken ct) =>
        rpc.SubscribeAsync("state_subscribeRuntimeVersion", "state_unsubscribeRuntimeVersion", [], watchHeads: false, ct);

    public static Task<RpcSubscription> SubscribeStorageAsync(this ISubstrateRpc rpc, IReadOnlyList<string> keys, CancellationToken ct) =>
        rpc.SubscribeAsync("state_subscribeStorage", "state_unsubscribeStorage", [keys], watchHeads: false, ct);

    private static string? NullableString(JsonElement result, string method) => result.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => result.GetString(),
        _ => throw Malformed(method, $"expected a string, got {result.ValueKind}"),
    };

    private static byte[]? HexBytes(JsonElement result, string method)
    {
        var text = NullableString(result, method);
        if (text is null)
        {
            return null;
        }

        try
        {
            return Hex.Decode(text);
        }
        catch (FormatException e)
        {
            throw Malformed(method, e.Message, e);
        }
    }

    private static T Parse<T>(JsonElement json, string method, Func<JsonElement, T> parse)
    {
        try
        {
            return parse(json);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw Malformed(method, e.Message, e);
        }
    }

    private static SubstrateRpcException Malformed(string method, string detail, Exception? inner = null) =>
        new(method, "node", -32603, $"malformed result: {detail}", inner);
}
