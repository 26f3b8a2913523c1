using System.Text.RegularExpressions;
using Etrid.Manifests.Tests.Crds;
using Etrid.Manifests.Tests.Rendering;
using YamlDotNet.RepresentationModel;

namespace Etrid.Manifests.Tests.Alerts;

/// <summary>The PrometheusRule of components/monitoring: valid for promtool, unit-tested, documented.</summary>
public sealed partial class AlertRuleTests
{
    public static TheoryData<string> Variants => [Variant.HpaAllComponents, Variant.KedaAllComponents];

    private static readonly string[] ExpectedAlerts =
    [
        "EtridChainDown", "EtridFinalityStalled", "EtridFiguresStale", "EtridQueueBacklogSustained",
        "EtridScalingBlocked", "EtridExternalMetricsApiUnavailable", "EtridHpaScalingInactive",
        "EtridMithrilApiErrors", "EtridBurstCapacityPreempted", "EtridBurstSpendNearBudget",
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Promtool_check_rules_accepts_the_rendered_rules(string variant)
    {
        var dir = AlertRuleFiles.WriteWithUnitTests(RenderedManifests.Of(variant));
        try
        {
            var (exit, output) = await Promtool.RunAsync(dir, "check", "rules", "rules.yaml");
            Assert.True(exit == 0, output);
            Assert.Contains($"SUCCESS: {ExpectedAlerts.Length} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Promtool_unit_tests_pass_on_the_rendered_rules(string variant)
    {
        var dir = AlertRuleFiles.WriteWithUnitTests(RenderedManifests.Of(variant));
        try
        {
            var (exit, output) = await Promtool.RunAsync(dir, "test", "rules", "alerts.test.yaml");
            Assert.True(exit == 0, output);
            Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_rule_carries_the_release_label_the_prometheus_selects_by()
    {
        var rule = Assert.Single(RenderedManifests.Of(Variant.HpaAllComponents).All<PrometheusRule>());
        Assert.Equal("kube-prometheus", rule.Metadata.Labels["release"]);
        Assert.Equal(ExpectedAlerts.Order(StringComparer.Ordinal), Alerts().Select(a => a.Alert!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_does_not()
    {
        var fires = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        var tests = (YamlSequenceNode)AlertRuleFiles.LoadUnitTests().Children[new YamlScalarNode("tests")];
        foreach (var test in tests.Cast<YamlMappingNode>())
        {
            foreach (var check in ((YamlSequenceNode)test.Children[new YamlScalarNode("alert_rule_test")]).Cast<YamlMappingNode>())
            {
                var name = ((YamlScalarNode)check.Children[new YamlScalarNode("alertname")]).Value!;
                var expected = (YamlSequenceNode)check.Children[new YamlScalarNode("exp_alerts")];
                (expected.Children.Count > 0 ? fires : quiet).Add(name);
            }
        }

        foreach (var alert in ExpectedAlerts)
        {
            Assert.True(fires.Contains(alert), $"{alert} has no unit test where it fires");
            Assert.True(quiet.Contains(alert), $"{alert} has no unit test where it stays quiet");
        }
    }

    [Fact]
    public async Task Each_firing_case_fails_when_its_alert_can_never_fire()
    {
        // The unit tests would pass on rules that fire nothing if every case expected silence;
        // replacing one alert's expression by one that never fires must fail that alert's cases.
        // Each alert has its own rule file and its own copy of the unit tests, checked by promtool runs side by side.
        var dir = AlertRuleFiles.WriteWithUnitTests(RenderedManifests.Of(Variant.HpaAllComponents));
        try
        {
            var unitTests = File.ReadAllText(Path.Combine(dir, "alerts.test.yaml"));
            Assert.Contains("  - rules.yaml\n", unitTests, StringComparison.Ordinal);
            foreach (var alert in ExpectedAlerts)
            {
                var rules = new YamlStream();
                using (var reader = new StringReader(File.ReadAllText(Path.Combine(dir, "rules.yaml"))))
                {
                    rules.Load(reader);
                }

                var rule = ((YamlSequenceNode)((YamlMappingNode)rules.Documents[0].RootNode).Children[new YamlScalarNode("groups")])
                    .Cast<YamlMappingNode>()
                    .SelectMany(g => ((YamlSequenceNode)g.Children[new YamlScalarNode("rules")]).Cast<YamlMappingNode>())
                    .Single(r => r.Children.TryGetValue(new YamlScalarNode("alert"), out var a) && ((YamlScalarNode)a).Value == alert);
                rule.Children[new YamlScalarNode("expr")] = new YamlScalarNode("vector(0) > 1");
                using (var writer = new StreamWriter(Path.Combine(dir, $"rules-{alert}.yaml")))
                {
                    rules.Save(writer, assignAnchors: false);
                }

                File.WriteAllText(Path.Combine(dir, $"{alert}.test.yaml"), unitTests.Replace("  - rules.yaml\n", $"  - rules-{alert}.yaml\n", StringComparison.Ordinal));
            }

            var runs = await Task.WhenAll(ExpectedAlerts.Select(a => Promtool.RunAsync(dir, "test", "rules", $"{a}.test.yaml")));
            foreach (var (alert, (exit, output)) in ExpectedAlerts.Zip(runs))
            {
                Assert.True(exit != 0, $"the unit tests pass although {alert} can never fire");
                Assert.Contains($"alertname: {alert},", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_runbook_line()
    {
        foreach (var rule in Alerts())
        {
            Assert.True(rule.Labels?.GetValueOrDefault("severity") is "critical" or "warning", $"{rule.Alert}: severity");
            var annotations = rule.Annotations ?? [];
            Assert.False(string.IsNullOrWhiteSpace(annotations.GetValueOrDefault("summary")), $"{rule.Alert}: summary");
            Assert.False(string.IsNullOrWhiteSpace(annotations.GetValueOrDefault("description")), $"{rule.Alert}: description");

            var url = annotations.GetValueOrDefault("runbook_url") ?? "";
            var hash = url.IndexOf('#', StringComparison.Ordinal);
            Assert.True(hash > 0, $"{rule.Alert}: runbook_url '{url}' names no anchor");
            var file = Path.Combine(RepositoryPaths.Root, url[..hash]);
            Assert.True(File.Exists(file), $"{rule.Alert}: {file} does not exist");
            var anchor = url[(hash + 1)..];
            Assert.Equal(rule.Alert!.ToLowerInvariant(), anchor);
            var line = File.ReadLines(file).SingleOrDefault(l => l.Contains($"<a id=\"{anchor}\"></a>", StringComparison.Ordinal));
            Assert.True(line is not null, $"{rule.Alert}: no line in {url[..hash]} carries the anchor {anchor}");
            Assert.Contains($"**{rule.Alert}**", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_runbook_documents_no_alert_that_does_not_exist()
    {
        var alerts = Alerts().Select(a => a.Alert!.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("## Alerts and runbook", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section 'Alerts and runbook'");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var runbook = readme[start..(end < 0 ? readme.Length : end)];
        Assert.NotEmpty(Anchor().Matches(runbook));
        foreach (Match m in Anchor().Matches(runbook))
        {
            Assert.True(alerts.Contains(m.Groups[1].Value), $"the README's runbook documents {m.Groups[1].Value}, which no rule raises");
        }
    }

    [GeneratedRegex("<a id=\"([a-z0-9]+)\"></a>")]
    private static partial Regex Anchor();

    private static IEnumerable<PrometheusRule.Rule> Alerts() =>
        Assert.Single(RenderedManifests.Of(Variant.HpaAllComponents).All<PrometheusRule>())
            .Spec.Groups.SelectMany(g => g.Rules).Where(r => r.Alert is not null);
}
