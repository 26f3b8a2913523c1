using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Etrid.Bench.Soak;

/// <summary>The exporter container's memory limit as the manifests declare it (<see cref="File"/>), so the soak follows the manifests.</summary>
internal static class ManifestMemoryLimit
{
    /// <summary>The Deployment whose container limit is read, from the repository root.</summary>
    public const string File = "manifests/base/exporter/deployment.yaml";

    /// <summary>The limit of the <c>exporter</c> container (or the only one) in bytes, and as written (<c>256Mi</c>).</summary>
    public static (long Bytes, string Text) Read(string root)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, File)))
        {
            yaml.Load(reader);
        }

        var containers = (YamlSequenceNode)Child(Child(Child(Child(yaml.Documents[0].RootNode, "spec"), "template"), "spec"), "containers");
        var container = containers.Children.OfType<YamlMappingNode>().FirstOrDefault(c => Scalar(c, "name") == "exporter") ?? (YamlMappingNode)containers.Children.Single();
        var text = Scalar(Child(Child(container, "resources"), "limits"), "memory") ?? throw new InvalidOperationException($"{File}: no resources.limits.memory");
        return (Quantity(text), text);
    }

    /// <summary>A Kubernetes memory quantity (<c>256Mi</c>, <c>1G</c>, <c>268435456</c>) in bytes.</summary>
    public static long Quantity(string text)
    {
        foreach (var (suffix, factor) in new (string, long)[] { ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000) })
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (long)(double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor);
            }
        }

        return long.Parse(text, CultureInfo.InvariantCulture);
    }

    private static YamlNode Child(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : throw new InvalidOperationException($"{File}: no '{key}'");

    private static string? Scalar(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}
