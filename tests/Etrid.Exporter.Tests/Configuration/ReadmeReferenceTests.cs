using Etrid.Exporter.Configuration;
using Etrid.Exporter.Tests.Support;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Configuration;

/// <summary>The README's configuration reference is the options classes' own: every key documented, every documented key real.</summary>
public sealed class ReadmeReferenceTests
{
    private const string Start = "<!-- configuration-reference:start (generated from the options classes; UPDATE_README=1 rewrites it) -->";
    private const string End = "<!-- configuration-reference:end -->";

    [Fact]
    public void ConfigurationReference_InTheReadme_MatchesTheOptionsClasses()
    {
        var readme = Path.Combine(RepositoryRoot.Path, "README.md");
        var text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        var expected = OptionsReference.Table(ExporterSections.All);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no section between '{Start}' and '{End}'");
        var actual = text[(start + Start.Length + 1)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(readme, text[..(start + Start.Length + 1)] + expected + text[end..]);
            return;
        }

        var documented = Keys(actual);
        var declared = Keys(expected);
        Assert.True(declared.Except(documented).ToList() is [], "keys missing from the README: " + string.Join(", ", declared.Except(documented)));
        Assert.True(documented.Except(declared).ToList() is [], "README keys that do not exist: " + string.Join(", ", documented.Except(declared)));
        Assert.Equal(expected, actual);
        Assert.DoesNotContain("(undocumented)", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void RunbookAndTroubleshooting_NameOnlyRealKeys()
    {
        // Operators act on these lines under pressure: a key named there must exist (metric names are etrid_…).
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var start = text.IndexOf("\n## Alerts and runbook", StringComparison.Ordinal);
        var end = text.IndexOf("\n## Security", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no runbook or troubleshooting section");
        var declared = Keys(OptionsReference.Table(ExporterSections.All))
            .SelectMany(k => new[] { k, k.Split('.')[^1] })
            .ToHashSet(StringComparer.Ordinal);
        var named = System.Text.RegularExpressions.Regex.Matches(text[start..end], "`([a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\\.[a-z0-9_]+)*)`")
            .Select(m => m.Groups[1].Value)
            .Where(k => !k.StartsWith("etrid_", StringComparison.Ordinal) && k != "runbook_url")
            .Distinct()
            .ToList();

        Assert.NotEmpty(named);
        Assert.True(named.Except(declared).ToList() is [], "runbook keys that do not exist: " + string.Join(", ", named.Except(declared)));
    }

    private static List<string> Keys(string table) =>
        table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split('`')[1]).ToList();
}
