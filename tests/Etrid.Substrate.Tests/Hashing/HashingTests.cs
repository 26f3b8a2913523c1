using System.IO.Hashing;
using Etrid.Substrate.Hashing;

namespace Etrid.Substrate.Tests.Hashing;

public class HashingTests
{
    [Theory]
    [InlineData("System", "26aa394eea5630e07c48ae0c9558cef7")]
    [InlineData("Account", "b99d880ec681799c0cf30e8886371da9")]
    [InlineData("JobMarketplace", "9791758b59190270b867d0da3985b3cb")]
    [InlineData("GpuRegistry", "4a4e2b5c92857af35247ea9b7b5bfd1e")]
    public void Twox128_Name_MatchesSpec(string name, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(Twox.Hash128(name)));
    }

    [Fact]
    public void Twox128_IsNotTheBigEndianFormOfXxHash64()
    {
        // XxHash64.Hash writes big-endian; the storage key needs each lane little-endian.
        var bigEndian = Convert.ToHexStringLower([.. XxHash64.Hash("System"u8, 0), .. XxHash64.Hash("System"u8, 1)]);
        Assert.Equal("e03056ea4e39aa26f7ce58950cae487c", bigEndian);
        Assert.NotEqual(bigEndian, Convert.ToHexStringLower(Twox.Hash128("System")));
    }

    [Theory]
    [InlineData("", "ef46db3751d8e999")]
    [InlineData("abc", "44bc2cf5ad770999")]
    public void XxHash64_SpecVectors(string input, string expected)
    {
        Assert.Equal(expected, XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(input)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("", "cae66941d9efbd404e4d88758ea67670")]
    [InlineData("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", "de1e86a9a8c739864cf3cc5ec2bea59f")]
    [InlineData("0100000000000000", "9ea2d098b5f70192f96c06f38d3fbc97")]
    [InlineData("0000000000000000", "c804ce198ec337e3dc762bdd1a09aece")]
    public void Blake2b128_SpecVectors(string inputHex, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(Blake2b.Hash(Convert.FromHexString(inputHex), 16)));
    }

    [Fact]
    public void Blake2b512_Rfc7693Abc()
    {
        Assert.Equal(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Convert.ToHexStringLower(Blake2b.Hash("abc"u8, 64)));
    }

    // Reference digests from Python's hashlib.blake2b over bytes i % 251, across block boundaries.
    [Theory]
    [InlineData(1, "7025e075d5e2f6cde3cc051a31f07660", "03170a2e7597b7b7")]
    [InlineData(127, "28b1296c7d4807883de6ee4ec04dcc0a", "f2fe67ff342e21b8")]
    [InlineData(128, "a74787004ef589e31149183900d0294a", "c3582f71ebb2be66")]
    [InlineData(129, "aaf1b0371f6d4ee49ee4fb5ddd9c49ef", "f7f3c46ba2564ff4")]
    [InlineData(256, "1142c504dcd26338b7cbcf41424540d0", "582f782226018ec3")]
    [InlineData(1000, "bca120dfd89cd95d82898473a5b01c90", "b372d0608f720c8c")]
    public void Blake2b_AcrossBlockBoundaries_MatchesReference(int length, string expected128, string expected256Prefix)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();
        Assert.Equal(expected128, Convert.ToHexStringLower(Blake2b.Hash(data, 16)));
        Assert.StartsWith(expected256Prefix, Convert.ToHexStringLower(Blake2b.Hash(data, 32)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Blake2b_OutputLengthOutOfRange_Throws(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Blake2b.Hash("x"u8, length));
    }
}
