using System.Text.Json;
using Etrid.DevChain.Chain;
using Etrid.Substrate;

namespace Etrid.DevChain.Rpc;

/// <summary>JSON shapes of headers, runtime versions and storage change sets, as Substrate nodes send them.</summary>
internal static class RpcJson
{
    public static void WriteHeader(Utf8JsonWriter w, BlockInfo block)
    {
        w.WriteStartObject();
        w.WriteString("parentHash", block.ParentHash);
        w.WriteString("number", "0x" + block.Number.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("stateRoot", block.StateRoot);
        w.WriteString("extrinsicsRoot", block.ExtrinsicsRoot);
        w.WriteStartObject("digest");
        w.WriteStartArray("logs");
        w.WriteStringValue(block.DigestLog);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteRuntimeVersion(Utf8JsonWriter w, uint specVersion)
    {
        w.WriteStartObject();
        w.WriteString("specName", "ai-compute-pbc");
        w.WriteString("implName", "ai-compute-pbc");
        w.WriteNumber("authoringVersion", 1);
        w.WriteNumber("specVersion", specVersion);
        w.WriteNumber("implVersion", 1);
        w.WriteStartArray("apis");
        foreach (var (id, version) in new[] { ("0xdf6acb689907609b", 5), ("0x37e397fc7c91f5e4", 2) })
        {
            w.WriteStartArray();
            w.WriteStringValue(id);
            w.WriteNumberValue(version);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteNumber("transactionVersion", 1);
        w.WriteNumber("stateVersion", 1);
        w.WriteEndObject();
    }

    public static void WriteChangeSet(Utf8JsonWriter w, BlockInfo block, IReadOnlyList<string> keys, IReadOnlyList<byte[]?> values)
    {
        w.WriteStartObject();
        w.WriteString("block", block.Hash);
        w.WriteStartArray("changes");
        for (var i = 0; i < keys.Count; i++)
        {
            w.WriteStartArray();
            w.WriteStringValue("0x" + keys[i]);
            if (values[i] is { } value)
            {
                w.WriteStringValue(Hex.Encode(value));
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
