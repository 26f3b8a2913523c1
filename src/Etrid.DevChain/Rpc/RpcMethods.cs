using System.Text.Json;
using Etrid.DevChain.Chain;
using Etrid.Substrate;
using Etrid.Substrate.Scale;

namespace Etrid.DevChain.Rpc;

/// <summary>
/// The JSON-RPC methods of the dev chain: what a standard Substrate client calls when it connects,
/// the state reads, and the subscriptions. Errors use Substrate's codes.
/// </summary>
internal sealed class RpcMethods
{
    private const int MaxKeysPerPage = 1000;
    private readonly Chain.DevChain _chain;
    private readonly Dictionary<string, Func<RpcParams, RpcSession?, RpcOutcome>> _methods;

    public RpcMethods(Chain.DevChain chain)
    {
        _chain = chain;
        _methods = new(StringComparer.Ordinal)
        {
            ["chain_getBlockHash"] = (p, _) => GetBlockHash(p),
            ["chain_getHeader"] = (p, _) => GetHeader(p),
            ["chain_getBlock"] = (p, _) => GetBlock(p),
            ["chain_getFinalizedHead"] = (_, _) => Result(w => w.WriteStringValue(_chain.ServedFinalized.Hash)),
            ["chain_getFinalisedHead"] = (_, _) => Result(w => w.WriteStringValue(_chain.ServedFinalized.Hash)),
            ["state_getRuntimeVersion"] = (p, _) => GetRuntimeVersion(p),
            ["chain_getRuntimeVersion"] = (p, _) => GetRuntimeVersion(p),
            ["state_getMetadata"] = (p, _) => GetMetadata(p),
            ["state_call"] = (p, _) => StateCall(p),
            ["state_getStorage"] = (p, _) => GetStorage(p),
            ["state_getStorageAt"] = (p, _) => GetStorage(p),
            ["state_queryStorageAt"] = (p, _) => QueryStorageAt(p),
            ["state_getKeysPaged"] = (p, _) => GetKeysPaged(p),
            ["state_getKeysPagedAt"] = (p, _) => GetKeysPaged(p),
            ["system_chain"] = (_, _) => Result(w => w.WriteStringValue(_chain.ChainName)),
            ["system_name"] = (_, _) => Result(w => w.WriteStringValue("etrid-devchain")),
            ["system_version"] = (_, _) => Result(w => w.WriteStringValue("1.0.0-dev")),
            ["system_chainType"] = (_, _) => Result(w => w.WriteStringValue("Development")),
            ["system_properties"] = (_, _) => Result(WriteProperties),
            ["system_health"] = (_, _) => Result(WriteHealth),
            ["rpc_methods"] = (_, _) => Result(WriteMethods),
            ["chain_subscribeNewHeads"] = (p, s) => Subscribe(s, SubscriptionKind.NewHeads, null),
            ["chain_subscribeNewHead"] = (p, s) => Subscribe(s, SubscriptionKind.NewHeads, null),
            ["subscribe_newHead"] = (p, s) => Subscribe(s, SubscriptionKind.NewHeads, null),
            ["chain_subscribeFinalizedHeads"] = (p, s) => Subscribe(s, SubscriptionKind.FinalizedHeads, null),
            ["chain_subscribeFinalisedHeads"] = (p, s) => Subscribe(s, SubscriptionKind.FinalizedHeads, null),
            ["state_subscribeRuntimeVersion"] = (p, s) => Subscribe(s, SubscriptionKind.RuntimeVersion, null),
            ["chain_subscribeRuntimeVersion"] = (p, s) => Subscribe(s, SubscriptionKind.RuntimeVersion, null),
            ["state_subscribeStorage"] = (p, s) => Subscribe(s, SubscriptionKind.Storage, p),
            ["chain_unsubscribeNewHeads"] = Unsubscribe,
            ["chain_unsubscribeNewHead"] = Unsubscribe,
            ["unsubscribe_newHead"] = Unsubscribe,
            ["chain_unsubscribeFinalizedHeads"] = Unsubscribe,
            ["chain_unsubscribeFinalisedHeads"] = Unsubscribe,
            ["state_unsubscribeRuntimeVersion"] = Unsubscribe,
            ["chain_unsubscribeRuntimeVersion"] = Unsubscribe,
            ["state_unsubscribeStorage"] = Unsubscribe,
        };
    }

    public IEnumerable<string> Names => _methods.Keys.Order(StringComparer.Ordinal);

    /// <summary>Runs a method; throws <see cref="RpcErrorException"/> for anything the caller got wrong.</summary>
    public RpcOutcome Invoke(string method, JsonElement? parameters, RpcSession? session)
    {
        if (!_methods.TryGetValue(method, out var handler) || _chain.RefusedMethods.ContainsKey(method))
        {
            throw RpcErrorException.MethodNotFound();
        }

        var p = new RpcParams(parameters);
        try
        {
            return handler(p, session);
        }
        catch (StateDiscardedException e)
        {
            throw new RpcErrorException(4003, "Client error: " + e.Message);
        }
    }

    private static RpcOutcome Result(Action<Utf8JsonWriter> write) => new(write);

    private BlockInfo At(RpcParams p, int index)
    {
        var hash = p.OptionalString(index, "block hash");
        if (hash is null)
        {
            return _chain.ServedBest;
        }

        return _chain.GetBlock(hash)
            ?? throw new RpcErrorException(4003, $"Client error: UnknownBlock: Header was not found in the database: {hash}");
    }

    private RpcOutcome GetBlockHash(RpcParams p)
    {
        var value = p.Get(0);
        if (value is { ValueKind: JsonValueKind.Array } list)
        {
            var numbers = new List<uint?>();
            for (var i = 0; i < list.GetArrayLength(); i++)
            {
                numbers.Add(new RpcParams(list).OptionalUInt(i, "block number"));
            }

            return Result(w =>
            {
                w.WriteStartArray();
                foreach (var n in numbers)
                {
                    WriteHashOrNull(w, n);
                }

                w.WriteEndArray();
            });
        }

        var number = p.OptionalUInt(0, "block number");
        return Result(w => WriteHashOrNull(w, number));
    }

    private void WriteHashOrNull(Utf8JsonWriter w, uint? number)
    {
        if (number == 0 && _chain.AnnouncedGenesisHash is { } genesis)
        {
            w.WriteStringValue(genesis);
            return;
        }

        var block = number is null ? _chain.ServedBest : _chain.ServedBlock(number.Value);
        if (block is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(block.Hash);
        }
    }

    private RpcOutcome GetHeader(RpcParams p)
    {
        var hash = p.OptionalString(0, "block hash");
        var block = hash is null ? _chain.ServedBest : _chain.GetBlock(hash);
        return Result(w =>
        {
            if (block is null)
            {
                w.WriteNullValue();
            }
            else
            {
                RpcJson.WriteHeader(w, block);
            }
        });
    }

    private RpcOutcome GetBlock(RpcParams p)
    {
        var hash = p.OptionalString(0, "block hash");
        var block = hash is null ? _chain.ServedBest : _chain.GetBlock(hash);
        return Result(w =>
        {
            if (block is null)
            {
                w.WriteNullValue();
                return;
            }

            w.WriteStartObject();
            w.WritePropertyName("block");
            w.WriteStartObject();
            w.WritePropertyName("header");
            RpcJson.WriteHeader(w, block);
            w.WriteStartArray("extrinsics");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("justifications");
            w.WriteEndObject();
        });
    }

    private RpcOutcome GetRuntimeVersion(RpcParams p)
    {
        var spec = _chain.SpecVersionAt(At(p, 0));
        return Result(w => RpcJson.WriteRuntimeVersion(w, spec));
    }

    private RpcOutcome GetMetadata(RpcParams p)
    {
        var bytes = _chain.RuntimeAt(At(p, 0)).MetadataBytes;
        return Result(w => w.WriteStringValue(Hex.Encode(bytes)));
    }

    private RpcOutcome StateCall(RpcParams p)
    {
        var method = p.RequiredString(0, "method");
        var data = Convert.FromHexString(p.RequiredHex(1, "call data"));
        var block = At(p, 2);
        byte[] result;
        switch (method)
        {
            case "Metadata_metadata_versions":
                result = new ScaleWriter(8).WriteCompact(1).WriteU32(14).ToArray();
                break;
            case "Metadata_metadata_at_version":
            {
                if (data.Length != 4)
                {
                    throw new RpcErrorException(4003, "Client error: Execution failed: Codec error: Not enough data to fill buffer");
                }

                var version = BitConverter.ToUInt32(data);
                var metadata = _chain.RuntimeAt(block).MetadataBytes;
                result = version == 14
                    ? new ScaleWriter(metadata.Length + 8).WriteU8(1).WriteByteVector(metadata).ToArray()
                    : [0];
                break;
            }

            case "Metadata_metadata":
            {
                var metadata = _chain.RuntimeAt(block).MetadataBytes;
                result = new ScaleWriter(metadata.Length + 8).WriteByteVector(metadata).ToArray();
                break;
            }

            default:
                throw new RpcErrorException(4003, $"Client error: Execution failed: Other: Exported method {method} is not found");
        }

        return Result(w => w.WriteStringValue(Hex.Encode(result)));
    }

    private RpcOutcome GetStorage(RpcParams p)
    {
        var key = p.RequiredHex(0, "storage key");
        var value = _chain.GetStorage(key, At(p, 1));
        return Result(w =>
        {
            if (value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                RpcJson.WriteHex(w, value);
            }
        });
    }

    private RpcOutcome QueryStorageAt(RpcParams p)
    {
        var keys = p.OptionalHexArray(0, "keys") ?? throw RpcErrorException.InvalidParams("keys (parameter 0) is required");
        var block = At(p, 1);
        var values = _chain.GetStorage(keys, block);
        return Result(w =>
        {
            w.WriteStartArray();
            RpcJson.WriteChangeSet(w, block, keys, values);
            w.WriteEndArray();
        });
    }

    private RpcOutcome GetKeysPaged(RpcParams p)
    {
        var prefix = p.OptionalHex(0, "prefix") ?? string.Empty;
        var count = p.OptionalUInt(1, "count") ?? throw RpcErrorException.InvalidParams("count (parameter 1) is required");
        if (count > MaxKeysPerPage)
        {
            throw new RpcErrorException(4002, $"count exceeds maximum value. value: {count}, max: {MaxKeysPerPage}");
        }

        var start = p.OptionalHex(2, "start key");
        var keys = _chain.GetKeysPaged(prefix, (int)count, start, At(p, 3));
        return Result(w =>
        {
            w.WriteStartArray();
            foreach (var k in keys)
            {
                RpcJson.WriteKey(w, k);
            }

            w.WriteEndArray();
        });
    }

    private static RpcOutcome Subscribe(RpcSession? session, SubscriptionKind kind, RpcParams? p)
    {
        if (session is null)
        {
            throw new RpcErrorException(-32601, "Method not found", "subscriptions need a WebSocket connection");
        }

        List<string>? keys = null;
        if (kind == SubscriptionKind.Storage)
        {
            keys = p!.Value.OptionalHexArray(0, "keys");
            if (keys is null || keys.Count == 0)
            {
                throw new RpcErrorException(-32601, "RPC call is unsafe to be called externally");
            }
        }

        var id = session.AddSubscription(kind, keys);
        return new RpcOutcome(w => w.WriteStringValue(id), () => session.SendInitial(id));
    }

    private static RpcOutcome Unsubscribe(RpcParams p, RpcSession? session)
    {
        var id = p.Get(0) switch
        {
            { ValueKind: JsonValueKind.String } e => e.GetString()!,
            { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
            _ => throw RpcErrorException.InvalidParams("subscription id (parameter 0) is required"),
        };
        var removed = session?.RemoveSubscription(id) ?? false;
        return Result(w => w.WriteBooleanValue(removed));
    }

    private static void WriteProperties(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        foreach (var (key, value) in Chain.DevChain.Properties)
        {
            if (value is int n)
            {
                w.WriteNumber(key, n);
            }
            else
            {
                w.WriteString(key, value.ToString());
            }
        }

        w.WriteEndObject();
    }

    private static void WriteHealth(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("peers", 0);
        w.WriteBoolean("isSyncing", false);
        w.WriteBoolean("shouldHavePeers", false);
        w.WriteEndObject();
    }

    private void WriteMethods(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("methods");
        foreach (var name in Names)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
