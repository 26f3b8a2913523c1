using Etrid.Substrate.Ss58;

namespace Etrid.Substrate.Tests.Ss58;

public class Ss58AddressTests
{
    private static readonly byte[] Alice = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    private static readonly byte[] Bob = Convert.FromHexString("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");

    [Theory]
    [InlineData(0, "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5")]
    [InlineData(2, "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F")]
    [InlineData(42, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")]
    public void Encode_Alice_MatchesPolkadotJs(ushort prefix, string expected)
    {
        Assert.Equal(expected, Ss58Address.Encode(Alice, prefix));
        var (account, decodedPrefix) = Ss58Address.Decode(expected);
        Assert.Equal(Alice, account);
        Assert.Equal(prefix, decodedPrefix);
    }

    [Fact]
    public void Encode_Bob42_MatchesPolkadotJs()
    {
        Assert.Equal("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", Ss58Address.Encode(Bob, 42));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(255)]
    [InlineData(1284)]
    [InlineData(16383)]
    public void TwoBytePrefix_RoundTrips(ushort prefix)
    {
        var (account, decodedPrefix) = Ss58Address.Decode(Ss58Address.Encode(Bob, prefix));
        Assert.Equal(Bob, account);
        Assert.Equal(prefix, decodedPrefix);
    }

    [Fact]
    public void Decode_BadChecksum_Throws()
    {
        var e = Assert.Throws<FormatException>(() => Ss58Address.Decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("")]
    [InlineData("5Grwva")]
    public void Decode_Garbage_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => Ss58Address.Decode(text));
    }
}
