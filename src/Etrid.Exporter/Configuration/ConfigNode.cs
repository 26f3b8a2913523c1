namespace Etrid.Exporter.Configuration;

/// <summary>A configuration value: a map, a list or a scalar (kept as text until bound).</summary>
public sealed class ConfigNode
{
    private ConfigNode()
    {
    }

    public Dictionary<string, ConfigNode>? Map { get; private init; }

    public List<ConfigNode>? List { get; private init; }

    public string? Scalar { get; set; }

    public static ConfigNode NewMap() => new() { Map = new Dictionary<string, ConfigNode>(StringComparer.Ordinal) };

    public static ConfigNode NewList() => new() { List = [] };

    public static ConfigNode NewScalar(string? value) => new() { Scalar = value };
}
