using System.Buffers;
using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>The bytes a JSON answer's hex strings decode to, in one buffer grown as they come (for <see cref="StorageValues"/> and <see cref="StorageKeys"/>).</summary>
internal sealed class HexBuffer
{
    private byte[] _bytes = new byte[4096];
    private int _length;

    public (int Offset, int Length) AppendHex(ref Utf8JsonReader reader)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> text;
            if (reader.HasValueSequence || reader.ValueIsEscaped)
            {
                // Rare (a node has no reason to escape hex): unescape into a copy first.
                var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                rented = ArrayPool<byte>.Shared.Rent(length);
                text = rented.AsSpan(0, reader.CopyString(rented));
            }
            else
            {
                text = reader.ValueSpan;
            }

            var digits = Hex.Digits(text);
            var needed = digits.Length / 2;
            if (_length + needed > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + needed));
            }

            if (Convert.FromHexString(digits, _bytes.AsSpan(_length, needed), out _, out var written) != OperationStatus.Done)
            {
                throw new JsonException(Hex.InvalidDigitsMessage(digits));
            }

            var offset = _length;
            _length += written;
            return (offset, written);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // The buffer itself, spare room included: copying it would cost more than the room.
    public byte[] Bytes => _bytes;
}
