using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Etrid.Substrate.Scale;

/// <summary>Writes SCALE-encoded values into a growable buffer.</summary>
public sealed class ScaleWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ScaleWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(Math.Max(1, initialCapacity));
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>The bytes written so far (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public ScaleWriter WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public ScaleWriter WriteU8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public ScaleWriter WriteI8(sbyte value) => WriteU8(unchecked((byte)value));

    public ScaleWriter WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    public ScaleWriter WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public ScaleWriter WriteI16(short value) => WriteU16(unchecked((ushort)value));

    public ScaleWriter WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public ScaleWriter WriteI32(int value) => WriteU32(unchecked((uint)value));

    public ScaleWriter WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public ScaleWriter WriteI64(long value) => WriteU64(unchecked((ulong)value));

    public ScaleWriter WriteU128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(_buffer.GetSpan(16), value);
        _buffer.Advance(16);
        return this;
    }

    public ScaleWriter WriteI128(Int128 value)
    {
        BinaryPrimitives.WriteInt128LittleEndian(_buffer.GetSpan(16), value);
        _buffer.Advance(16);
        return this;
    }

    /// <summary>Writes a 256-bit little-endian integer; the value must fit in 32 bytes.</summary>
    public ScaleWriter WriteInt256(BigInteger value, bool signed)
    {
        var span = _buffer.GetSpan(32)[..32];
        span.Fill(signed && value.Sign < 0 ? (byte)0xff : (byte)0);
        if (!value.TryWriteBytes(span, out _, isUnsigned: !signed, isBigEndian: false))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "does not fit in 256 bits");
        }

        _buffer.Advance(32);
        return this;
    }

    /// <summary>Writes a compact integer in its canonical (shortest) mode.</summary>
    public ScaleWriter WriteCompact(UInt128 value)
    {
        if (value < 1 << 6)
        {
            return WriteU8((byte)((byte)value << 2));
        }

        if (value < 1 << 14)
        {
            return WriteU16((ushort)(((ushort)value << 2) | 1));
        }

        if (value < 1 << 30)
        {
            return WriteU32(((uint)value << 2) | 2);
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, value);
        var length = 16;
        while (bytes[length - 1] == 0)
        {
            length--;
        }

        length = Math.Max(length, 4);
        WriteU8((byte)(((length - 4) << 2) | 3));
        return WriteBytes(bytes[..length]);
    }

    public ScaleWriter WriteByteVector(ReadOnlySpan<byte> bytes)
    {
        WriteCompact((uint)bytes.Length);
        return WriteBytes(bytes);
    }

    public ScaleWriter WriteString(string value) => WriteByteVector(Encoding.UTF8.GetBytes(value));

    /// <summary>Writes an Option: <c>00</c> for None, <c>01</c> then the value for Some.</summary>
    public ScaleWriter WriteOption<T>(T? value, Action<ScaleWriter, T> writeValue)
        where T : struct
    {
        if (value is null)
        {
            return WriteU8(0);
        }

        WriteU8(1);
        writeValue(this, value.Value);
        return this;
    }

    /// <summary>Writes a Result: <c>00</c> then the Ok value, or <c>01</c> then the Err value.</summary>
    public ScaleWriter WriteResult(bool isOk, Action<ScaleWriter> writeValue)
    {
        WriteU8(isOk ? (byte)0 : (byte)1);
        writeValue(this);
        return this;
    }

    /// <summary>Writes a Vec of items with a compact length prefix.</summary>
    public ScaleWriter WriteVector<T>(IReadOnlyCollection<T> items, Action<ScaleWriter, T> writeItem)
    {
        WriteCompact((uint)items.Count);
        foreach (var item in items)
        {
            writeItem(this, item);
        }

        return this;
    }
}
