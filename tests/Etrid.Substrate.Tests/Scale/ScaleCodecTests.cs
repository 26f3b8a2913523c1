using System.Numerics;
using Etrid.Substrate.Scale;

namespace Etrid.Substrate.Tests.Scale;

public class ScaleCodecTests
{
    public static TheoryData<string, string> CompactVectors => new()
    {
        { "0", "00" }, { "1", "04" }, { "42", "a8" }, { "63", "fc" }, { "64", "0101" }, { "69", "1501" },
        { "16383", "fdff" }, { "16384", "02000100" }, { "1073741823", "feffffff" }, { "1073741824", "0300000040" },
        { "4294967295", "03ffffffff" }, { "4294967296", "070000000001" }, { "100000000000000", "0b00407a10f35a" },
        { "1000000000000000000", "13000064a7b3b6e00d" }, { "18446744073709551615", "13ffffffffffffffff" },
        { "340282366920938463463374607431768211455", "33ffffffffffffffffffffffffffffffff" },
    };

    [Theory]
    [MemberData(nameof(CompactVectors))]
    public void WriteCompact_SpecVector_MatchesBytes(string value, string hex)
    {
        var bytes = new ScaleWriter().WriteCompact(UInt128.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
    }

    [Theory]
    [MemberData(nameof(CompactVectors))]
    public void ReadCompact_SpecVector_ReturnsValueAndConsumesAll(string value, string hex)
    {
        var reader = new ScaleReader(Convert.FromHexString(hex));
        Assert.Equal(UInt128.Parse(value, System.Globalization.CultureInfo.InvariantCulture), reader.ReadCompact());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData("0100")] // 0 in two-byte mode
    [InlineData("fd00")] // 63 in two-byte mode
    [InlineData("02000000")] // 0 in four-byte mode
    [InlineData("03ffffff3f")] // 2^30-1 in big-integer mode
    [InlineData("070000000000")] // a zero most significant byte
    [InlineData("37ffffffffffffffffffffffffffffffffff")] // 17 bytes: beyond u128
    public void ReadCompact_NonCanonical_ThrowsTypedError(string hex)
    {
        Assert.Throws<ScaleDecodeException>(() => new ScaleReader(Convert.FromHexString(hex)).ReadCompact());
    }

    [Fact]
    public void FixedWidthIntegers_SpecVectors_RoundTrip()
    {
        var w = new ScaleWriter().WriteU16(42).WriteU32(42).WriteU64(1).WriteU128(UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture)).WriteBool(false).WriteBool(true);
        Assert.Equal("2a00" + "2a000000" + "0100000000000000" + "000064a7b3b6e00d0000000000000000" + "00" + "01", Convert.ToHexStringLower(w.ToArray()));
        var r = new ScaleReader(w.ToArray());
        Assert.Equal(42, r.ReadU16());
        Assert.Equal(42u, r.ReadU32());
        Assert.Equal(1ul, r.ReadU64());
        Assert.Equal(UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture), r.ReadU128());
        Assert.False(r.ReadBool());
        Assert.True(r.ReadBool());
        r.EnsureAtEnd();
    }

    [Fact]
    public void SignedIntegers_RoundTrip_AtTheLimits()
    {
        var w = new ScaleWriter().WriteI8(sbyte.MinValue).WriteI16(short.MinValue).WriteI32(int.MinValue).WriteI64(long.MinValue)
            .WriteI128(Int128.MinValue).WriteInt256(-BigInteger.Pow(2, 255), signed: true).WriteInt256(BigInteger.Pow(2, 256) - 1, signed: false);
        var r = new ScaleReader(w.ToArray());
        Assert.Equal(sbyte.MinValue, r.ReadI8());
        Assert.Equal(short.MinValue, r.ReadI16());
        Assert.Equal(int.MinValue, r.ReadI32());
        Assert.Equal(long.MinValue, r.ReadI64());
        Assert.Equal(Int128.MinValue, r.ReadI128());
        Assert.Equal(-BigInteger.Pow(2, 255), r.ReadInt256(signed: true));
        Assert.Equal(BigInteger.Pow(2, 256) - 1, r.ReadInt256(signed: false));
        r.EnsureAtEnd();
    }

    [Fact]
    public void String_Hamlet_MatchesSpecVector()
    {
        Assert.Equal("1848616d6c6574", Convert.ToHexStringLower(new ScaleWriter().WriteString("Hamlet").ToArray()));
        Assert.Equal("Hamlet", new ScaleReader(Convert.FromHexString("1848616d6c6574")).ReadString());
    }

    [Fact]
    public void VectorOfU16_MatchesSpecVector()
    {
        ushort[] items = [4, 8, 15, 16, 23, 42];
        var bytes = new ScaleWriter().WriteVector(items, (w, v) => w.WriteU16(v)).ToArray();
        Assert.Equal("18040008000f00100017002a00", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Option_NoneAndSome_MatchSpec()
    {
        Assert.Equal("00", Convert.ToHexStringLower(new ScaleWriter().WriteOption<ulong>(null, (w, v) => w.WriteU64(v)).ToArray()));
        Assert.Equal("010100000000000000", Convert.ToHexStringLower(new ScaleWriter().WriteOption<ulong>(1, (w, v) => w.WriteU64(v)).ToArray()));
        Assert.Throws<ScaleDecodeException>(() => new ScaleReader([2]).ReadOptionTag());
    }

    [Fact]
    public void Result_OkAndErr_RoundTrip()
    {
        var bytes = new ScaleWriter().WriteResult(true, w => w.WriteU32(7)).WriteResult(false, w => w.WriteString("bad")).ToArray();
        Assert.Equal("0007000000" + "010c626164", Convert.ToHexStringLower(bytes));
        var r = new ScaleReader(bytes);
        Assert.True(r.ReadResultTag());
        Assert.Equal(7u, r.ReadU32());
        Assert.False(r.ReadResultTag());
        Assert.Equal("bad", r.ReadString());
        Assert.Throws<ScaleDecodeException>(() => new ScaleReader([2]).ReadResultTag());
    }

    [Fact]
    public void MixedValues_RandomRoundTrip()
    {
        var random = new Random(99);
        for (var i = 0; i < 2000; i++)
        {
            var a = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 32);
            var b = (short)random.Next(short.MinValue, short.MaxValue);
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0x20, 0x2FF)).ToArray());
            var list = Enumerable.Range(0, random.Next(0, 20)).Select(_ => (uint)random.Next()).ToArray();
            ulong? option = random.Next(2) == 0 ? null : a;
            var bytes = new ScaleWriter().WriteU64(a).WriteI16(b).WriteString(text).WriteVector(list, (w, v) => w.WriteU32(v)).WriteOption(option, (w, v) => w.WriteCompact(v)).ToArray();
            var r = new ScaleReader(bytes);
            Assert.Equal(a, r.ReadU64());
            Assert.Equal(b, r.ReadI16());
            Assert.Equal(text, r.ReadString());
            var count = r.ReadLength(4);
            var read = new uint[count];
            for (var j = 0; j < count; j++)
            {
                read[j] = r.ReadU32();
            }

            Assert.Equal(list, read);
            Assert.Equal(option, r.ReadOptionTag() ? r.ReadCompactU64() : null);
            r.EnsureAtEnd();
        }
    }

    [Fact]
    public void ReadLength_PrefixLargerThanInput_ThrowsWithoutAllocating()
    {
        // Claims 2^30 items of at least 8 bytes with 3 bytes left.
        var bytes = Convert.FromHexString("0300000040" + "000000");
        var e = Assert.Throws<ScaleDecodeException>(() => new ScaleReader(bytes).ReadLength(8));
        Assert.Contains("exceeds", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void ReadBytes_PastTheEnd_ThrowsTypedErrorWithOffset()
    {
        var e = Assert.Throws<ScaleDecodeException>(() =>
        {
            var r = new ScaleReader([1, 2, 3]);
            r.ReadU16();
            r.ReadU32();
        });
        Assert.Equal(2, e.Offset);
    }

    [Fact]
    public void ReadString_InvalidUtf8_ThrowsTypedError()
    {
        Assert.Throws<ScaleDecodeException>(() => new ScaleReader([0x08, 0xc3, 0x28]).ReadString());
    }

    [Fact]
    public void Compact_RandomValues_RoundTrip()
    {
        var random = new Random(42);
        Span<byte> buffer = stackalloc byte[16];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(buffer);
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(buffer) >> random.Next(0, 128);
            var bytes = new ScaleWriter().WriteCompact(value).ToArray();
            var reader = new ScaleReader(bytes);
            Assert.Equal(value, reader.ReadCompact());
            Assert.True(reader.IsAtEnd);
        }
    }

    [Fact]
    public void ReadCompact_RandomBytes_NeverThrowsAnythingButTypedError()
    {
        var random = new Random(7);
        var buffer = new byte[24];
        for (var i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(0, buffer.Length);
            try
            {
                new ScaleReader(buffer.AsSpan(0, length)).ReadCompact();
            }
            catch (ScaleDecodeException)
            {
                // The only failure allowed.
            }
        }
    }
}
