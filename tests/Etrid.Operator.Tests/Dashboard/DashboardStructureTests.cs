using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Etrid.Operator.Tests.Dashboard;

/// <summary>The dashboard file imports as Grafana expects: through the UI wizard and by file or ConfigMap provisioning.</summary>
public sealed partial class DashboardStructureTests
{
    private readonly JsonObject _dashboard = DashboardFile.Load();

    [Fact]
    public void It_has_a_fixed_uid_no_id_a_title_and_tags()
    {
        Assert.True(_dashboard.ContainsKey("id"), "id must be present and null, so an import creates the dashboard");
        Assert.Null(_dashboard["id"]);
        var uid = (string?)_dashboard["uid"];
        Assert.Equal("etrid-ai-compute", uid);
        Assert.Matches(Uid(), uid);
        Assert.False(string.IsNullOrWhiteSpace((string?)_dashboard["title"]));
        Assert.NotEmpty(_dashboard["tags"]!.AsArray());
        Assert.True((int)_dashboard["schemaVersion"]! > 0);
    }

    [Fact]
    public void The_import_wizard_asks_for_a_prometheus_datasource_and_provisioning_does_not_need_it()
    {
        var input = Assert.Single(_dashboard["__inputs"]!.AsArray().Cast<JsonObject>());
        Assert.Equal("DS_PROMETHEUS", (string?)input["name"]);
        Assert.Equal("datasource", (string?)input["type"]);
        Assert.Equal("prometheus", (string?)input["pluginId"]);

        // ${DS_PROMETHEUS} resolves only in the wizard: it may only preselect the datasource variable,
        // which file and ConfigMap provisioning resolve to the default Prometheus instead.
        var datasource = Variable("datasource");
        Assert.Equal("datasource", (string?)datasource["type"]);
        Assert.Equal("prometheus", (string?)datasource["query"]);
        var withoutVariable = JsonNode.Parse(_dashboard.ToJsonString())!.AsObject();
        withoutVariable.Remove("__inputs");
        withoutVariable["templating"]!["list"]!.AsArray().RemoveAt(0);
        Assert.Equal("datasource", (string?)_dashboard["templating"]!["list"]![0]!["name"]);
        Assert.DoesNotContain("DS_PROMETHEUS", withoutVariable.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pbc", "label_values(etrid_job_queue_depth, pbc)")]
    [InlineData("provider", "label_values(etrid_gpu_utilization_percent, provider)")]
    public void The_pbc_and_provider_variables_query_prometheus(string name, string query)
    {
        var variable = Variable(name);
        Assert.Equal("query", (string?)variable["type"]);
        Assert.Equal(query, (string?)variable["definition"]);
        Assert.Equal(query, (string?)variable["query"]!["query"]);
        AssertOurDatasource(variable["datasource"], $"variable {name}");
    }

    [Fact]
    public void The_provider_variable_selects_all_providers_without_listing_them()
    {
        // With 10k providers, Grafana's default All (a|b|c...) would make every query huge.
        var provider = Variable("provider");
        Assert.True((bool)provider["multi"]!);
        Assert.True((bool)provider["includeAll"]!);
        Assert.Equal(".+", (string?)provider["allValue"]);
    }

    [Fact]
    public void It_has_the_rows_of_the_operator_kit()
    {
        var rows = DashboardFile.Panels(_dashboard).Where(p => (string?)p["type"] == "row").Select(p => (string)p["title"]!).ToList();
        Assert.Equal(["Queue", "Wait and duration", "GPUs", "Providers", "Chain health", "Autoscaling", "Burst"], rows);
    }

    [Fact]
    public void Every_panel_has_a_query_on_the_datasource_variable()
    {
        var panels = DashboardFile.Panels(_dashboard).Where(p => (string?)p["type"] != "row").ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var title = (string)panel["title"]!;
            AssertOurDatasource(panel["datasource"], title);
            var targets = panel["targets"]?.AsArray().Cast<JsonObject>().ToList() ?? [];
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            Assert.Equal(targets.Count, targets.Select(t => (string?)t["refId"]).Distinct().Count());
            foreach (var target in targets)
            {
                AssertOurDatasource(target["datasource"], $"{title} / {target["refId"]}");
                Assert.False(string.IsNullOrWhiteSpace((string?)target["expr"]), $"panel '{title}' has an empty query");
            }
        }
    }

    [Fact]
    public void Every_query_uses_only_variables_the_dashboard_defines()
    {
        var names = DashboardFile.Variables(_dashboard).ToDictionary(v => (string)v["name"]!, _ => "x", StringComparer.Ordinal);
        foreach (var query in DashboardFile.Queries())
        {
            var substituted = DashboardFile.Substitute(query.Expr, names);
            Assert.DoesNotContain("$", substituted, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Exactly_the_panels_on_kube_state_metrics_are_marked_as_needing_it()
    {
        foreach (var panel in DashboardFile.Queries().GroupBy(q => q.Panel))
        {
            var uses = panel.Any(q => q.Expr.Contains("kube_", StringComparison.Ordinal));
            Assert.True(uses == panel.First().NeedsKubeStateMetrics, $"panel '{panel.Key}': reads kube-state-metrics {uses}, marked {panel.First().NeedsKubeStateMetrics}");
        }
    }

    [Fact]
    public void Panel_ids_are_unique_and_panels_do_not_overlap_on_the_grid()
    {
        var panels = DashboardFile.Panels(_dashboard).ToList();
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        var boxes = panels.Select(p => (Title: (string)p["title"]!, X: (int)p["gridPos"]!["x"]!, Y: (int)p["gridPos"]!["y"]!, W: (int)p["gridPos"]!["w"]!, H: (int)p["gridPos"]!["h"]!)).ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            var a = boxes[i];
            Assert.True(a.X >= 0 && a.W > 0 && a.X + a.W <= 24 && a.H > 0, $"panel '{a.Title}' is outside the 24 columns");
            foreach (var b in boxes.Skip(i + 1))
            {
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels '{a.Title}' and '{b.Title}' overlap");
            }
        }
    }

    private JsonObject Variable(string name) =>
        Assert.Single(DashboardFile.Variables(_dashboard), v => (string?)v["name"] == name);

    private static void AssertOurDatasource(JsonNode? datasource, string where)
    {
        Assert.True(datasource is JsonObject, $"{where}: no datasource");
        Assert.Equal("prometheus", (string?)datasource!["type"]);
        Assert.True((string?)datasource["uid"] == "${datasource}", $"{where}: datasource uid {datasource["uid"]}, not ${{datasource}}");
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{8,40}$")]
    private static partial Regex Uid();
}
