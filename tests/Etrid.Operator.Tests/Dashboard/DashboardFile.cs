using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Etrid.Tests.Shared;

namespace Etrid.Operator.Tests.Dashboard;

/// <summary>grafana/etrid-ai-compute.json read as Grafana reads it: panels (rows included), their queries, the variables.</summary>
internal static partial class DashboardFile
{
    /// <summary>The marker a panel's description carries when its queries need kube-state-metrics, which the demo has not.</summary>
    public const string KubeStateMetricsMarker = "Needs kube-state-metrics";

    public static string Path { get; } = FindDashboard();

    public static JsonObject Load() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path))!;

    /// <summary>Every panel, rows and the panels inside collapsed rows included.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray().Cast<JsonObject>())
        {
            yield return panel;
            foreach (var inner in panel["panels"]?.AsArray().Cast<JsonObject>() ?? [])
            {
                yield return inner;
            }
        }
    }

    /// <summary>Every query of every panel.</summary>
    public static IReadOnlyList<PanelQuery> Queries() =>
        [.. Panels(Load())
            .Where(p => (string?)p["type"] != "row")
            .SelectMany(p => p["targets"]!.AsArray().Cast<JsonObject>().Select(t => new PanelQuery(
                (string)p["title"]!,
                (string)t["refId"]!,
                (string)t["expr"]!,
                ((string?)p["description"] ?? "").Contains(KubeStateMetricsMarker, StringComparison.Ordinal))))];

    public static IReadOnlyList<JsonObject> Variables(JsonObject dashboard) =>
        [.. dashboard["templating"]!["list"]!.AsArray().Cast<JsonObject>()];

    /// <summary>
    /// The expression with the dashboard's variables replaced as Grafana would before sending it:
    /// <c>$name</c> and <c>${name}</c> by <paramref name="values"/>, Grafana's own interval variables by fixed spans.
    /// </summary>
    public static string Substitute(string expr, IReadOnlyDictionary<string, string> values)
    {
        var all = new Dictionary<string, string>(values, StringComparer.Ordinal)
        {
            ["__rate_interval"] = "1m",
            ["__interval"] = "15s",
            ["__range"] = "1h",
        };
        return Variable().Replace(expr, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return all.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"`{expr}` uses ${name}, which the dashboard does not define");
        });
    }

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex Variable();

    private static string FindDashboard() => System.IO.Path.Combine(RepositoryRoot.Path, "grafana", "etrid-ai-compute.json");
}
