using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.Telemetry;
using Etrid.Burst.Telemetry;
using Etrid.Exporter.Metrics;
using Etrid.Mithril.Telemetry;
using Etrid.Scaling.Telemetry;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Exporter.Tests.Metrics;

/// <summary>The README's metrics reference is the declarations' own: every family, its type, labels and help, in one table.</summary>
public sealed class MetricsTableTests
{
    private const string Start = "<!-- metrics-reference:start (generated from the metric declarations; UPDATE_README=1 rewrites it) -->";
    private const string End = "<!-- metrics-reference:end -->";

    // The projects whose telemetry types declare self-metrics (static MetricDeclaration fields), in the table's order.
    private static readonly Assembly[] Owners = [typeof(ChainTelemetry).Assembly, typeof(ExporterMetrics).Assembly, typeof(ScalingTelemetry).Assembly, typeof(BurstMetrics).Assembly, typeof(MithrilMetrics).Assembly];

    [Fact]
    public void MetricsReference_InTheReadme_IsRenderedFromTheDeclarations()
    {
        var readme = Path.Combine(RepositoryRoot.Path, "README.md");
        var text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        var expected = Table(Declarations());
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no section between '{Start}' and '{End}'");
        var actual = text[(start + Start.Length + 1)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(readme, text[..(start + Start.Length + 1)] + expected + text[end..]);
            return;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EveryFamily_IsDeclaredOnce()
    {
        var names = Declarations().Select(d => d.Name).ToList();
        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
        Assert.All(Declarations().Where(d => d.Kind == MetricKind.Counter), d => Assert.EndsWith("_total", d.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheExportersOwnDeclarations_AreOnMetrics_WithTheirTypeAndLabels()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var hub = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
        hub.UpdateHealth(h => h with { BestBlock = 3, FinalizedBlock = 3, LastFinalizedAt = DateTimeOffset.UtcNow });
        var calls = new RpcCallStats();
        calls.RecordCall("chain_getHeader", 0.1, failed: false);
        using var metrics = new ExporterMetrics("ai-compute", hub, calls, new ByteCounters(), TimeProvider.System, services.GetRequiredService<IMeterFactory>());
        hub.Publish(new ChainSnapshot(3, "0x03", 1, DateTimeOffset.UtcNow, TestFigures.WithOneProvider()));
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream);
        var exposition = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        var own = ChainMetricCatalogue.All.Select(m => m.Declaration).Concat(DeclaredIn(typeof(ChainTelemetry))).Concat(DeclaredIn(typeof(ExporterTelemetry)));
        foreach (var declaration in own)
        {
            Assert.Contains($"# TYPE {declaration.Name} {declaration.Kind.ToString().ToLowerInvariant()}", exposition);
            var sample = exposition.First(l => l.StartsWith(declaration.Name, StringComparison.Ordinal) && l.Length > declaration.Name.Length && l[declaration.Name.Length] is '{' or ' ');
            var labels = sample.Contains('{', StringComparison.Ordinal)
                ? sample[(sample.IndexOf('{', StringComparison.Ordinal) + 1)..sample.IndexOf('}', StringComparison.Ordinal)].Split(',').Select(l => l.Split('=')[0]).ToArray()
                : [];
            Assert.True(declaration.Labels.Order().SequenceEqual(labels.Order()), $"{declaration.Name}: declared [{string.Join(", ", declaration.Labels)}], /metrics has [{string.Join(", ", labels)}]");
        }
    }

    private static List<MetricDeclaration> Declarations() =>
        [.. ChainMetricCatalogue.All.Select(m => m.Declaration), .. Owners.SelectMany(a => a.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal)).SelectMany(DeclaredIn)];

    private static IEnumerable<MetricDeclaration> DeclaredIn(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(f => f.FieldType == typeof(MetricDeclaration))
            .Select(f => (MetricDeclaration)f.GetValue(null)!);

    private static string Table(IEnumerable<MetricDeclaration> declarations)
    {
        var table = new StringBuilder("| metric | type | labels | meaning |\n| --- | --- | --- | --- |\n");
        foreach (var d in declarations)
        {
            var labels = string.Join(", ", d.Labels.Select(l => $"`{l}`"));
            var meaning = d.Help.Replace("|", "\\|", StringComparison.Ordinal) + (d.AppearsWith is { } first ? $" (from {first})" : string.Empty);
            table.Append($"| `{d.Name}` | {d.Kind.ToString().ToLowerInvariant()} | {labels} | {meaning} |\n");
        }

        return table.ToString();
    }
}
