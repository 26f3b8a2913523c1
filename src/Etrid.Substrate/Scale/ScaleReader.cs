using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Etrid.Substrate.Scale;

/// <summary>
/// Reads SCALE-encoded values from a span. Every read is bounds-checked: a length prefix larger than
/// the remaining input is a <see cref="ScaleDecodeException"/>, never an allocation of that size.
/// </summary>
public ref struct ScaleReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ScaleReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool IsAtEnd => _position == _data.Length;

    /// <summary>Throws unless every byte has been consumed; a value with trailing bytes is malformed.</summary>
    public readonly void EnsureAtEnd(string? context = null)
    {
        if (!IsAtEnd)
        {
            throw new ScaleDecodeException($"{Remaining} trailing byte(s) after the value", _position, context);
        }
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ScaleDecodeException($"need {count} byte(s), {Remaining} left", _position);
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public void Skip(int count) => ReadBytes(count);

    public byte ReadU8() => ReadBytes(1)[0];

    public sbyte ReadI8() => unchecked((sbyte)ReadU8());

    public bool ReadBool()
    {
        var offset = _position;
        var b = ReadU8();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new ScaleDecodeException($"invalid bool byte 0x{b:x2}", offset),
        };
    }

    public ushort ReadU16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2));

    public short ReadI16() => BinaryPrimitives.ReadInt16LittleEndian(ReadBytes(2));

    public uint ReadU32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public int ReadI32() => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));

    public ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    public long ReadI64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    public UInt128 ReadU128() => BinaryPrimitives.ReadUInt128LittleEndian(ReadBytes(16));

    public Int128 ReadI128() => BinaryPrimitives.ReadInt128LittleEndian(ReadBytes(16));

    /// <summary>Reads a 256-bit little-endian integer (u256 or i256).</summary>
    public BigInteger ReadInt256(bool signed) => new(ReadBytes(32), isUnsigned: !signed, isBigEndian: false);

    /// <summary>Reads a compact integer of any size up to u128 and rejects non-canonical encodings.</summary>
    public UInt128 ReadCompact()
    {
        var offset = _position;
        var first = ReadU8();
        switch (first & 3)
        {
            case 0:
                return (UInt128)(first >> 2);
            case 1:
            {
                var v = (uint)(first | (ReadU8() << 8)) >> 2;
                if (v < 64)
                {
                    throw new ScaleDecodeException($"non-canonical compact {v} in two-byte mode", offset);
                }

                return v;
            }

            case 2:
            {
                var v = (first | ((uint)ReadU8() << 8) | ((uint)ReadU8() << 16) | ((uint)ReadU8() << 24)) >> 2;
                if (v < 1u << 14)
                {
                    throw new ScaleDecodeException($"non-canonical compact {v} in four-byte mode", offset);
                }

                return v;
            }

            default:
            {
                var length = (first >> 2) + 4;
                if (length > 16)
                {
                    throw new ScaleDecodeException($"compact of {length} bytes exceeds u128", offset);
                }

                var bytes = ReadBytes(length);
                if (bytes[^1] == 0)
                {
                    throw new ScaleDecodeException("non-canonical compact: most significant byte is zero", offset);
                }

                UInt128 v = 0;
                for (var i = length - 1; i >= 0; i--)
                {
                    v = (v << 8) | bytes[i];
                }

                if (v <= uint.MaxValue >> 2)
                {
                    throw new ScaleDecodeException($"non-canonical compact {v} in big-integer mode", offset);
                }

                return v;
            }
        }
    }

    /// <summary>Reads a compact integer that must fit in a u64.</summary>
    public ulong ReadCompactU64()
    {
        var offset = _position;
        var v = ReadCompact();
        if (v > ulong.MaxValue)
        {
            throw new ScaleDecodeException($"compact {v} does not fit in u64", offset);
        }

        return (ulong)v;
    }

    /// <summary>Reads a compact integer that must fit in a u32.</summary>
    public uint ReadCompactU32()
    {
        var offset = _position;
        var v = ReadCompact();
        if (v > uint.MaxValue)
        {
            throw new ScaleDecodeException($"compact {v} does not fit in u32", offset);
        }

        return (uint)v;
    }

    /// <summary>
    /// Reads a compact length prefix of a collection whose items take at least
    /// <paramref name="minItemSize"/> bytes each; a prefix that cannot fit in the remaining input fails
    /// here, before anything is allocated.
    /// </summary>
    public int ReadLength(int minItemSize = 1)
    {
        var offset = _position;
        var v = ReadCompact();
        var max = minItemSize <= 0 ? int.MaxValue : Remaining / minItemSize;
        if (v > (UInt128)max)
        {
            throw new ScaleDecodeException($"length prefix {v} exceeds the {Remaining} byte(s) left", offset);
        }

        return (int)v;
    }

    /// <summary>Reads a length-prefixed byte vector (<c>Vec&lt;u8&gt;</c>).</summary>
    public ReadOnlySpan<byte> ReadByteVector() => ReadBytes(ReadLength());

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string ReadString()
    {
        var offset = _position;
        var bytes = ReadByteVector();
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ScaleDecodeException("invalid UTF-8 in string", offset, "str", e);
        }
    }

    /// <summary>Reads the Option tag byte: false for None (<c>00</c>), true for Some (<c>01</c>).</summary>
    public bool ReadOptionTag() => ReadTag("Option") == 1;

    /// <summary>How many items that may encode to zero bytes a length prefix may announce beyond the bytes left.</summary>
    public const int MaxZeroSizedItems = 65536;

    /// <summary>Reads the Result tag byte: true for Ok (<c>00</c>), false for Err (<c>01</c>).</summary>
    public bool ReadResultTag() => ReadTag("Result") == 0;

    private byte ReadTag(string what)
    {
        var offset = _position;
        var b = ReadU8();
        return b <= 1 ? b : throw new ScaleDecodeException($"invalid {what} tag 0x{b:x2}", offset);
    }

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
