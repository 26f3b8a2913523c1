using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Etrid.Manifests.Tests.Alerts;
using Etrid.Manifests.Tests.Crds;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests.Dashboard;

/// <summary>
/// The dashboard's panels on kube-state-metrics (the worker HPA's replicas) find the HPA each overlay creates.
/// The demo runs no Kubernetes, so these queries are run by promtool over series shaped as kube-state-metrics
/// exports them (metric names and the <c>namespace</c>/<c>horizontalpodautoscaler</c> labels), for the HPA names the
/// rendered manifests produce: a renamed HPA, a wrong metric name or a filter that drops one overlay fails here.
/// </summary>
public sealed partial class KubeStateMetricsPanelTests
{
    private const string Marker = "Needs kube-state-metrics";

    // What kube-state-metrics exports for an HPA (its horizontalpodautoscaler metrics), with a distinct value each
    // so a query that reads the wrong one is caught.
    private static readonly Dictionary<string, int> ExportedValues = new(StringComparer.Ordinal)
    {
        ["kube_horizontalpodautoscaler_status_desired_replicas"] = 7,
        ["kube_horizontalpodautoscaler_status_current_replicas"] = 5,
        ["kube_horizontalpodautoscaler_spec_max_replicas"] = 20,
        ["kube_horizontalpodautoscaler_spec_min_replicas"] = 2,
    };

    // Another HPA in the cluster, which no panel may show.
    private const string Stranger = "some-other-app";

    public static TheoryData<string> Queries => [.. KubeStateMetricsQueries().Select(q => q.Key)];

    [Fact]
    public void The_dashboard_marks_panels_that_need_kube_state_metrics() =>
        Assert.NotEmpty(KubeStateMetricsQueries());

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_query_returns_each_overlays_worker_hpa_and_nothing_else(string key)
    {
        var expr = KubeStateMetricsQueries()[key];
        var metric = Assert.Single(ExportedValues.Keys, m => expr.Contains(m, StringComparison.Ordinal));
        var hpas = WorkerHpaNames();
        Assert.Equal(2, hpas.Count);

        var series = hpas.Append(Stranger).Select(name => new JsonObject
        {
            ["series"] = $"{metric}{{namespace=\"etrid-ai-compute\",horizontalpodautoscaler=\"{name}\",job=\"kube-state-metrics\"}}",
            ["values"] = $"{ExportedValues[metric]}x10",
        });
        var expected = hpas.Select(name => new JsonObject
        {
            ["labels"] = $"{{horizontalpodautoscaler=\"{name}\"}}",
            ["value"] = ExportedValues[metric],
        });
        var test = new JsonObject
        {
            ["evaluation_interval"] = "1m",
            ["tests"] = new JsonArray(new JsonObject
            {
                ["interval"] = "1m",
                ["input_series"] = new JsonArray([.. series]),
                ["promql_expr_test"] = new JsonArray(new JsonObject
                {
                    ["expr"] = expr,
                    ["eval_time"] = "5m",
                    ["exp_samples"] = new JsonArray([.. expected]),
                }),
            }),
        };

        var dir = Directory.CreateTempSubdirectory("etrid-ksm-").FullName;
        try
        {
            // JSON is YAML: promtool reads it as its test file.
            await File.WriteAllTextAsync(Path.Combine(dir, "panel.test.yaml"), test.ToJsonString());
            var (exit, output) = await Promtool.RunAsync(dir, "test", "rules", "panel.test.yaml");
            Assert.True(exit == 0, $"`{expr}` over kube-state-metrics series for {string.Join(", ", hpas)}:\n{output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The worker HPA of each overlay: the HPA overlay's own, and the one KEDA creates for the ScaledObject.</summary>
    private static List<string> WorkerHpaNames()
    {
        var hpa = Assert.Single(RenderedManifests.Of(Variant.Hpa).All<V2HorizontalPodAutoscaler>()).Metadata.Name;
        var scaledObject = Assert.Single(RenderedManifests.Of(Variant.Keda).All<ScaledObject>());

        // KEDA names the HPA it manages keda-hpa-<ScaledObject name> unless the ScaledObject names it.
        var keda = scaledObject.Spec.Advanced?.HorizontalPodAutoscalerConfig?.Name ?? $"keda-hpa-{scaledObject.Metadata.Name}";
        return [hpa, keda];
    }

    private static Dictionary<string, string> KubeStateMetricsQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "grafana", "etrid-ai-compute.json")))!;
        var panels = dashboard["panels"]!.AsArray().Cast<JsonObject>()
            .SelectMany(p => (p["panels"]?.AsArray().Cast<JsonObject>() ?? []).Prepend(p))
            .Where(p => ((string?)p["description"] ?? "").Contains(Marker, StringComparison.Ordinal));
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var panel in panels)
        {
            foreach (var target in panel["targets"]!.AsArray().Cast<JsonObject>())
            {
                var expr = (string)target["expr"]!;
                Assert.DoesNotMatch(Variable(), expr);
                queries[$"{(string)panel["title"]!} / {(string)target["refId"]!}"] = expr;
            }
        }

        return queries;
    }

    // These panels take no dashboard variable: the HPA names are fixed by the manifests.
    [GeneratedRegex(@"\$\{?\w+")]
    private static partial Regex Variable();
}
