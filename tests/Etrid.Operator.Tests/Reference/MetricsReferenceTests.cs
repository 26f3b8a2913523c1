using System.Text.RegularExpressions;
using Etrid.Operator.Tests.Dashboard;
using Etrid.Tests.Shared;

namespace Etrid.Operator.Tests.Reference;

/// <summary>The README's metrics reference and the demo's /metrics say the same: every family, its type and its labels.</summary>
[Collection(LiveDemoCollection.Name)]
public sealed partial class MetricsReferenceTests(LiveDemo demo)
{
    private const string Start = "<!-- metrics-reference:start";
    private const string End = "<!-- metrics-reference:end -->";

    // Families documented as appearing with their first event (a request, a review, a stream) may be absent.
    private const string FirstEvent = "(from the first";

    [Fact]
    public void Every_family_on_metrics_is_documented_with_its_type_and_labels()
    {
        var documented = Documented();
        var exposed = Exposed(demo.MetricsText);
        Assert.NotEmpty(exposed);
        foreach (var (name, family) in exposed)
        {
            Assert.True(documented.TryGetValue(name, out var doc), $"{name} ({family.Type}) is on /metrics but not in the README's metrics reference");
            Assert.True(doc.Type == family.Type, $"{name}: the README says {doc.Type}, /metrics says {family.Type}");
            if (family.Labels is { } labels)
            {
                Assert.True(doc.Labels.SetEquals(labels), $"{name}: the README lists labels [{string.Join(", ", doc.Labels.Order())}], /metrics has [{string.Join(", ", labels.Order())}]");
            }
        }
    }

    [Fact]
    public void Every_documented_family_is_on_the_demos_metrics()
    {
        var exposed = Exposed(demo.MetricsText);
        var missing = Documented().Where(d => !d.Value.FromFirstEvent && !exposed.ContainsKey(d.Key)).Select(d => d.Key).ToList();
        Assert.True(missing.Count == 0, "documented but not on /metrics: " + string.Join(", ", missing));
    }

    private static Dictionary<string, (string Type, HashSet<string> Labels, bool FromFirstEvent)> Documented()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no metrics reference between its markers");
        var rows = new Dictionary<string, (string, HashSet<string>, bool)>(StringComparer.Ordinal);
        foreach (var line in readme[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var labels = Backticked().Matches(cells[3]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match name in Backticked().Matches(cells[1]))
            {
                Assert.True(rows.TryAdd(name.Groups[1].Value, (cells[2], labels, cells[4].Contains(FirstEvent, StringComparison.Ordinal))), $"{name.Groups[1].Value} is documented twice");
            }
        }

        return rows;
    }

    // Families of the project (etrid_*) with their TYPE and the label names their samples carry (null when none has a sample).
    private static Dictionary<string, (string Type, HashSet<string>? Labels)> Exposed(string text)
    {
        var families = new Dictionary<string, (string Type, HashSet<string>? Labels)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE etrid_", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                families[parts[2]] = (parts[3], null);
            }
            else if (line.StartsWith("etrid_", StringComparison.Ordinal))
            {
                var sample = Sample().Match(line);
                var name = sample.Groups[1].Value;
                var family = families.Keys.Where(f => name == f || (name.StartsWith(f, StringComparison.Ordinal) && name[f.Length..] is "_bucket" or "_sum" or "_count")).OrderByDescending(f => f.Length).FirstOrDefault();
                if (family is null)
                {
                    continue;
                }

                var labels = LabelName().Matches(sample.Groups[2].Value).Select(m => m.Groups[1].Value).Where(l => l != "le").ToHashSet(StringComparer.Ordinal);
                var (type, known) = families[family];
                families[family] = (type, known is null ? labels : [.. known, .. labels]);
            }
        }

        return families;
    }

    [GeneratedRegex("`([a-z_0-9]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^([a-z_0-9:]+)(?:\{(.*)\})?\s")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();
}
