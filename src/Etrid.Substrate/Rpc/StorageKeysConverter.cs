using System.Text.Json;
using System.Text.Json.Serialization;

namespace Etrid.Substrate.Rpc;

/// <summary>Reads <c>["0xkey", …]</c> into <see cref="StorageKeys"/>, decoding the hex from the reader's UTF-8 bytes; bounded by the message.</summary>
internal sealed class StorageKeysConverter : JsonConverter<StorageKeys>
{
    public override StorageKeys Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, got {reader.TokenType}");
        }

        var bytes = new HexBuffer();
        var offsets = new List<int> { 0 };
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"a key is not a string but {reader.TokenType}");
            }

            var (offset, length) = bytes.AppendHex(ref reader);
            offsets.Add(offset + length);
        }

        return new StorageKeys(bytes.Bytes, [.. offsets]);
    }

    public override void Write(Utf8JsonWriter writer, StorageKeys value, JsonSerializerOptions options) =>
        throw new NotSupportedException("storage keys are only read");

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the key list ends early");
}
