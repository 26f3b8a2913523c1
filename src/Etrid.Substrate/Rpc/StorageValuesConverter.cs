using System.Text.Json;
using System.Text.Json.Serialization;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// Reads <c>[{"block": "0x…", "changes": [["0xkey", "0xvalue" | null], …]}, …]</c> into <see cref="StorageValues"/>, decoding
/// the hex from the reader's UTF-8 bytes. One block was asked for, so the first change set is the answer; others are
/// skipped. What it holds is bounded by the message, which the connection caps at <c>max_message_bytes</c>.
/// </summary>
internal sealed class StorageValuesConverter : JsonConverter<StorageValues>
{
    public override StorageValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(reader.TokenType == JsonTokenType.StartArray, $"expected an array, got {reader.TokenType}");
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return StorageValues.Empty;
        }

        var values = ReadChangeSet(ref reader);
        Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            Next(ref reader);
        }

        return values;
    }

    public override void Write(Utf8JsonWriter writer, StorageValues value, JsonSerializerOptions options) =>
        throw new NotSupportedException("storage values are only read");

    private static StorageValues ReadChangeSet(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType == JsonTokenType.StartObject, $"storage change set must be an object, got {reader.TokenType}");
        var block = string.Empty;
        var bytes = new HexBuffer();
        var bounds = new List<int>();
        var sawChanges = false;
        Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            var isBlock = reader.ValueTextEquals("block"u8);
            var isChanges = reader.ValueTextEquals("changes"u8);
            Next(ref reader);
            if (isBlock && reader.TokenType == JsonTokenType.String)
            {
                block = reader.GetString()!;
            }
            else if (isChanges)
            {
                Expect(reader.TokenType == JsonTokenType.StartArray, "storage change set has no 'changes' array");
                ReadChanges(ref reader, bytes, bounds);
                sawChanges = true;
            }
            else
            {
                reader.Skip();
            }

            Next(ref reader);
        }

        Expect(sawChanges, "storage change set has no 'changes' array");
        return new StorageValues(block, bytes.Bytes, [.. bounds], bounds.Count / 4);
    }

    private static void ReadChanges(ref Utf8JsonReader reader, HexBuffer bytes, List<int> bounds)
    {
        Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(reader.TokenType == JsonTokenType.StartArray, "storage change must be a [key, value] pair");
            Next(ref reader);
            Expect(reader.TokenType == JsonTokenType.String, "storage change must be a [key, value] pair");
            var key = bytes.AppendHex(ref reader);
            bounds.Add(key.Offset);
            bounds.Add(key.Length);
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                bounds.Add(0);
                bounds.Add(-1);
            }
            else
            {
                Expect(reader.TokenType == JsonTokenType.String, "storage change must be a [key, value] pair");
                var value = bytes.AppendHex(ref reader);
                bounds.Add(value.Offset);
                bounds.Add(value.Length);
            }

            Next(ref reader);
            Expect(reader.TokenType == JsonTokenType.EndArray, "storage change must be a [key, value] pair");
            Next(ref reader);
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("storage change set ends early");
        }
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new JsonException(message);
        }
    }
}
