using Etrid.Scaling.Authentication;

namespace Etrid.Scaling.Tests.Authentication;

public sealed class StaticTokensTests
{
    [Fact]
    public void Parse_TokenAuthFileFormat_GivesUsersWithGroups()
    {
        var tokens = StaticTokens.Parse("""
            # comment
            abc,alice,1001,"ops,dev"
            def,bob,,
            ghi , carol , 7
            """);

        Assert.Equal(3, tokens.Count);
        var alice = tokens.Find("abc")!;
        Assert.Equal("alice", alice.Name);
        Assert.Equal("1001", alice.Uid);
        Assert.Equal(["ops", "dev"], alice.Groups);
        Assert.Null(tokens.Find("def")!.Uid);
        Assert.Equal("carol", tokens.Find("ghi")!.Name);
        Assert.Null(tokens.Find("nope"));
    }

    [Theory]
    [InlineData("onlytoken")]
    [InlineData("tok,user")]
    [InlineData(",user,1")]
    [InlineData("tok,,1")]
    [InlineData("tok,user,1,\"unclosed")]
    public void Parse_MalformedLine_NamesTheLineNotTheToken(string line)
    {
        var e = Assert.Throws<FormatException>(() => StaticTokens.Parse("good,user,1\n" + line));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("good", e.Message, StringComparison.Ordinal);
    }
}
