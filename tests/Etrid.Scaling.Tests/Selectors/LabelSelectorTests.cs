using Etrid.Scaling.Selectors;

namespace Etrid.Scaling.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Pending = new() { ["pbc"] = "ai-compute", ["status"] = "pending" };
    private static readonly Dictionary<string, string> PbcOnly = new() { ["pbc"] = "ai-compute" };
    private static readonly Dictionary<string, string> Other = new() { ["pbc"] = "other", ["status"] = "active" };

    public static TheoryData<string?, bool, bool, bool> Cases => new()
    {
        // selector, matches Pending, matches PbcOnly, matches Other
        { null, true, true, true },
        { "", true, true, true },
        { "   ", true, true, true },
        { "pbc=ai-compute", true, true, false },
        { "pbc==ai-compute", true, true, false },
        { " pbc = ai-compute , status == pending ", true, false, false },
        { "status!=pending", false, true, true },
        { "pbc in (ai-compute,other)", true, true, true },
        { "status in (pending)", true, false, false },
        { "status notin (pending)", false, true, true },
        { "status notin (pending, active)", false, true, false },
        { "status", true, false, true },
        { "!status", false, true, false },
        { "pbc,!status", false, true, false },
        { "example.com/team", false, false, false },
        { "!example.com/team", true, true, true },
        { "pbc=", false, false, false },
        { "pbc!=", true, true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ValidSelector_MatchesAsKubernetesDoes(string? text, bool pending, bool pbcOnly, bool other)
    {
        var selector = LabelSelector.Parse(text);

        Assert.Equal(pending, selector.Matches(Pending));
        Assert.Equal(pbcOnly, selector.Matches(PbcOnly));
        Assert.Equal(other, selector.Matches(Other));
    }

    [Theory]
    [InlineData("pbc in (a,b)", SelectorOperator.In, new[] { "a", "b" })]
    [InlineData("pbc notin (a)", SelectorOperator.NotIn, new[] { "a" })]
    [InlineData("pbc=a", SelectorOperator.Equals, new[] { "a" })]
    [InlineData("pbc==a", SelectorOperator.Equals, new[] { "a" })]
    [InlineData("pbc!=a", SelectorOperator.NotEquals, new[] { "a" })]
    [InlineData("pbc", SelectorOperator.Exists, new string[0])]
    [InlineData("!pbc", SelectorOperator.DoesNotExist, new string[0])]
    public void Parse_OneRequirement_GivesOperatorAndValues(string text, SelectorOperator op, string[] values)
    {
        var requirement = Assert.Single(LabelSelector.Parse(text).Requirements);

        Assert.Equal("pbc", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(values, requirement.Values);
    }

    [Theory]
    [InlineData("pbc=a,", "the end")]
    [InlineData(",pbc", "','")]
    [InlineData("pbc in a", "'('")]
    [InlineData("pbc in (a", "the end")]
    [InlineData("pbc in ()", "must not be empty")]
    [InlineData("pbc=a b", "'b'")]
    [InlineData("pbc>1", "invalid label key")]
    [InlineData("pbc=a/b", "invalid label value")]
    [InlineData("pbc=a#b", "invalid label value")]
    [InlineData("-pbc=a", "invalid label key")]
    [InlineData("Example.com/pbc=a", "invalid key prefix")]
    [InlineData("pbc=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "invalid label value")]
    [InlineData("!", "the end")]
    [InlineData("!pbc=a", "','")]
    [InlineData("pbc = =", "expected a label value")]
    [InlineData("pbc=(a)", "'('")]
    public void Parse_InvalidSelector_ThrowsTypedErrorNamingTheProblem(string text, string fragment)
    {
        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(text));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLong_IsRejectedBeforeParsing()
    {
        var text = "pbc in (" + string.Join(',', Enumerable.Repeat("a", 3000)) + ")";

        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(text));

        Assert.Contains("4096", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyRequirements_IsRejected()
    {
        var text = string.Join(',', Enumerable.Range(0, 33).Select(i => $"k{i}=v"));

        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(text));

        Assert.Contains("32 requirements", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManySetValues_IsRejected()
    {
        var text = "k in (" + string.Join(',', Enumerable.Range(0, 65).Select(i => $"v{i}")) + ")";

        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(text));

        Assert.Contains("64 values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalseWithReason()
    {
        Assert.False(LabelSelector.TryParse("a in", out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void ToString_RendersAParsableEquivalent()
    {
        var text = "a=1,b!=2,c in (x,y),d notin (z),e,!f";

        Assert.Equal(text, LabelSelector.Parse(LabelSelector.Parse(text).ToString()).ToString());
        Assert.Equal(text, LabelSelector.Parse(text).ToString());
    }
}
