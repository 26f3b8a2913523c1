using System.Text.RegularExpressions;
using Etrid.AiCompute.Hosting;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// Loads the configuration on Microsoft.Extensions.Configuration: the YAML file, then environment
/// variables (<c>ETRID_CHAIN__STALENESS_LIMIT=2m</c>: prefix <c>ETRID_</c>, <c>__</c> between levels),
/// then <c>${VAR}</c> expanded from the environment; checked against the sections' options classes (unknown keys,
/// wrong kinds of value) and normalized for the binder. Every problem is reported at once, with its key path. The
/// values themselves are checked by each part's validators, which the host runs on start
/// (<see cref="ConfigurationCheck"/>).
/// </summary>
public static partial class ExporterConfiguration
{
    /// <summary>Prefix of the environment variables that override keys.</summary>
    public const string EnvironmentPrefix = "ETRID_";

    /// <summary>The variable naming the YAML file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "ETRID_CONFIG";

    /// <summary>The exporter's default node, when neither <c>chain.endpoints</c> nor an alias names one.</summary>
    public const string DefaultEndpoint = "ws://127.0.0.1:9944";

    /// <summary>
    /// Loads and checks the keys. The configuration is null when the file cannot be read as YAML; otherwise it holds
    /// every value that passed (a value of the wrong kind is left out, so its default shows), and the problems hold
    /// the rest, so that the parts' validation can still report theirs with them.
    /// </summary>
    public static (IConfiguration? Configuration, IReadOnlyList<string> Problems) Load(string? yamlPath, IReadOnlyDictionary<string, string> environment)
    {
        var problems = new List<string>();
        var builder = new ConfigurationBuilder();
        if (yamlPath is not null)
        {
            // The bytes checked are the bytes loaded: read once within the size limit, checked for depth and
            // alias expansion as a stream of events, and only then handed to the provider.
            try
            {
                var yaml = ConfigurationLimits.ReadFile(Path.GetFullPath(yamlPath));
                using (var reader = new StreamReader(new MemoryStream(yaml), detectEncodingFromByteOrderMarks: true))
                {
                    ConfigurationLimits.CheckYaml(reader);
                }

                builder.AddYamlStream(new MemoryStream(yaml));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or YamlDotNet.Core.YamlException)
            {
                problems.Add($"config file '{yamlPath}': {Describe(e)}");
                return (null, problems);
            }
        }

        builder.AddInMemoryCollection(environment
            .Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && !e.Key.Equals(ConfigVariable, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));

        IConfigurationRoot raw;
        try
        {
            raw = builder.Build();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or YamlDotNet.Core.YamlException)
        {
            problems.Add($"config file '{yamlPath}': {Describe(e)}");
            return (null, problems);
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in raw.AsEnumerable())
        {
            if (value is null || Expand(key, value, environment, problems) is not { } expanded)
            {
                continue;
            }

            if (expanded.Length > ConfigurationLimits.MaxValueLength)
            {
                // Never quoted: it may be a secret, and it is long.
                problems.Add($"{Display(key)}: the value is {expanded.Length} characters, over the limit of {ConfigurationLimits.MaxValueLength}");
                continue;
            }

            values[key] = expanded;
        }

        MovedKeys.Refuse(values, problems);
        OptionsSchema.Normalize(ExporterSections.All, values, problems);
        problems.AddRange(ApplyAliases(values));
        return (new ConfigurationBuilder().AddInMemoryCollection(values).Build(), problems);
    }

    /// <summary>Configuration built from flat <paramref name="values"/> (keys joined by ':'), with the endpoint default applied, for hosts composed in code.</summary>
    public static IConfiguration FromValues(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var flat = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        var problems = ApplyAliases(flat).ToList();
        return problems.Count == 0 ? new ConfigurationBuilder().AddInMemoryCollection(flat).Build() : throw new ArgumentException(string.Join("; ", problems), nameof(values));
    }

    // The seed's rpc_url / websocket_url fill chain.endpoints, else the local node; both forms at once would leave the
    // reader guessing which wins.
    private static IEnumerable<string> ApplyAliases(IDictionary<string, string?> values)
    {
        var endpoints = ChainFollowerServiceCollectionExtensions.SectionName + ":endpoints";
        var configured = values.Keys.Any(k => k.StartsWith(endpoints + ":", StringComparison.OrdinalIgnoreCase));
        var top = new ExporterOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values.Where(v => !v.Key.Contains(':', StringComparison.Ordinal))).Build().Bind(top);
        var aliases = top.AliasEndpoints;
        if (configured)
        {
            return aliases.Count == 0 ? [] : ["rpc_url, websocket_url: aliases of chain.endpoints, which is also set (keep one of the two forms)"];
        }

        values.Remove(endpoints);
        var effective = aliases.Count > 0 ? aliases : [DefaultEndpoint];
        for (var i = 0; i < effective.Count; i++)
        {
            values[$"{endpoints}:{i}"] = effective[i];
        }

        return [];
    }

    private static string Describe(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is YamlDotNet.Core.YamlException yaml)
            {
                return $"YAML error at line {yaml.Start.Line}, column {yaml.Start.Column}: {yaml.Message}";
            }
        }

        return e.InnerException is { } inner && e is not IOException ? $"{e.Message} {inner.Message}" : e.Message;
    }

    /// <summary>A configuration key (<c>chain:endpoints:0</c>) as operators write it (<c>chain.endpoints[0]</c>).</summary>
    private static string Display(string key) => string.Concat(key.ToLowerInvariant().Split(':').Select((segment, i) =>
        int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) ? $"[{segment}]" : i == 0 ? segment : "." + segment));

    // Null when a referenced variable is not set (reported once, with the key).
    private static string? Expand(string key, string value, IReadOnlyDictionary<string, string> environment, List<string> problems)
    {
        var missing = false;
        var expanded = VariablePattern().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            if (environment.TryGetValue(name, out var found))
            {
                return found;
            }

            problems.Add($"{Display(key)}: environment variable {name} is not set (referenced as ${{{name}}})");
            missing = true;
            return string.Empty;
        });
        return missing ? null : expanded;
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();
}
