using System.Security.Cryptography;
using System.Text;
using Etrid.Burst.Naming;

namespace Etrid.Mithril.Tests.Naming;

public sealed class BidNamingTests
{
    private static readonly BidConfiguration Config = new()
    {
        Pool = "h100",
        Project = "proj_abc123456",
        Region = "us-central1-a",
        InstanceType = "it_abc123456",
        LimitCents = 2800,
        SshKeys = ["sshkey_b", "sshkey_a"],
        AgentVersion = "1.2.3",
        BootTemplateSha256 = "00ff",
    };

    [Fact]
    public void Hash8_IsSha256OfTheCanonicalLines()
    {
        // The canonical text written out by hand: keys in the spec's order, SSH keys sorted, memory empty.
        const string text = "v=1\npool=h100\nproject=proj_abc123456\nregion=us-central1-a\ninstance_type=it_abc123456\nlimit_cents=2800\nssh_keys=sshkey_a,sshkey_b\nagent_version=1.2.3\nmemory_gb=\nboot=00ff\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

        Assert.Equal(expected, BidNaming.Hash8(Config));
    }

    [Fact]
    public void Hash8_SshKeyOrderDoesNotMatter_LimitDoes()
    {
        Assert.Equal(BidNaming.Hash8(Config), BidNaming.Hash8(Config with { SshKeys = ["sshkey_a", "sshkey_b"] }));
        Assert.NotEqual(BidNaming.Hash8(Config), BidNaming.Hash8(Config with { LimitCents = 2801 }));
        Assert.NotEqual(BidNaming.Hash8(Config), BidNaming.Hash8(Config with { Pool = "h100b" }));
    }

    [Theory]
    [InlineData("h100", "etrid-h100")]
    [InlineData("H100 Pool!", "etrid-h100-pool")]
    [InlineData("a__b", "etrid-a-b")]
    public void BaseFor_SanitisesThePoolName(string pool, string expected) => Assert.Equal(expected, BidNaming.BaseFor(pool));

    [Fact]
    public void NewName_HasTheShape_FitsIn63_AndAvoidsTakenNames()
    {
        var baseName = BidNaming.BaseFor(new string('x', 200));
        var first = BidNaming.NewName(baseName, "0123abcd", new Random(1), new HashSet<string>());
        var again = BidNaming.NewName(baseName, "0123abcd", new Random(1), new HashSet<string> { first });

        Assert.True(first.Length <= 63);
        Assert.True(BidNaming.IsCurrent(first, baseName, "0123abcd"));
        Assert.NotEqual(first, again);
    }

    [Theory]
    [InlineData("etrid-a-0123abcd-k2x7q", "etrid-a", true)]
    [InlineData("etrid-a-b-0123abcd-k2x7q", "etrid-a", false)] // pool a-b's bid is not pool a's
    [InlineData("etrid-a-0123ABCD-k2x7q", "etrid-a", false)]
    [InlineData("etrid-a-0123abcd-k2x7", "etrid-a", false)]
    [InlineData("velda-0123abcd-k2x7q", "etrid-a", false)]
    public void IsOwned_MatchesTheWholeShape(string name, string baseName, bool owned) => Assert.Equal(owned, BidNaming.IsOwned(name, baseName));

    [Fact]
    public void IsCurrent_OtherHash_IsOwnedButStale()
    {
        Assert.True(BidNaming.IsOwned("etrid-a-99999999-k2x7q", "etrid-a"));
        Assert.False(BidNaming.IsCurrent("etrid-a-99999999-k2x7q", "etrid-a", "0123abcd"));
    }
}
