using Etrid.Manifests.Tests.Rendering;
using YamlDotNet.RepresentationModel;

namespace Etrid.Manifests.Tests.Alerts;

/// <summary>
/// The alerting rules as a plain Prometheus rule file, cut out of the rendered PrometheusRule (its
/// <c>spec</c> is exactly a rule file's content), so promtool checks what kubectl would apply.
/// </summary>
internal static class AlertRuleFiles
{
    public static string UnitTests => Path.Combine(RepositoryPaths.TestProject, "Alerts", "alerts.test.yaml");

    /// <summary>The <c>spec</c> of the one PrometheusRule in <paramref name="rendered"/>, as YAML.</summary>
    public static string RuleFile(RenderedManifests rendered)
    {
        var specs = new List<YamlNode>();
        foreach (var document in Documents(rendered.Text))
        {
            if (document.RootNode is YamlMappingNode root && root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind)
                && kind is YamlScalarNode { Value: "PrometheusRule" })
            {
                specs.Add(root.Children[new YamlScalarNode("spec")]);
            }
        }

        var spec = Assert.Single(specs);
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(spec)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>A directory holding rules.yaml and the unit tests beside it, as alerts.test.yaml names them.</summary>
    public static string WriteWithUnitTests(RenderedManifests rendered)
    {
        var dir = Directory.CreateTempSubdirectory("etrid-rules-").FullName;
        File.WriteAllText(Path.Combine(dir, "rules.yaml"), RuleFile(rendered));
        File.Copy(UnitTests, Path.Combine(dir, "alerts.test.yaml"));
        return dir;
    }

    public static YamlMappingNode LoadUnitTests()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(UnitTests));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<YamlDocument> Documents(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return stream.Documents;
    }
}
