using System.Text.RegularExpressions;
using Etrid.Mithril.Options;
using Etrid.Scaling.Listeners;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// Loads the configuration on Microsoft.Extensions.Configuration: the YAML file, then environment
/// variables (<c>ETRID_CHAIN__STALENESS_LIMIT=2m</c>: prefix <c>ETRID_</c>, <c>__</c> between levels),
/// then <c>${VAR}</c> expanded from the environment; checked against the options classes (unknown keys,
/// wrong kinds of value), bound, and validated. Every problem is reported at once, with its key path.
/// </summary>
public static partial class ExporterConfiguration
{
    /// <summary>Prefix of the environment variables that override keys.</summary>
    public const string EnvironmentPrefix = "ETRID_";

    /// <summary>The variable naming the YAML file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "ETRID_CONFIG";

    /// <summary>Loads, binds and validates; the options are null when there is any problem.</summary>
    public static (ExporterOptions? Options, IReadOnlyList<string> Problems) Load(string? yamlPath, IReadOnlyDictionary<string, string> environment)
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

        OptionsSchema.Normalize(typeof(ExporterOptions), values, problems);
        var options = new ExporterOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(options);
        problems.AddRange(ApplyAliases(options));
        problems.AddRange(Validate(options, name => environment.TryGetValue(name, out var value) ? value : null));
        return (problems.Count == 0 ? options : null, problems);
    }

    /// <summary>Every validation problem of <paramref name="options"/>, as <c>key.path: what is wrong</c>; <paramref name="environment"/> resolves secrets given as variables.</summary>
    public static IEnumerable<string> Validate(ExporterOptions options, Func<string, string?> environment)
    {
        var result = new ExporterOptionsValidator().Validate(Options.DefaultName, options);
        var problems = result.Failed ? result.Failures.Select(Describe).ToList() : [];
        problems.AddRange(options.Chain.CrossChecks("chain"));
        if (!ListenAddress.TryParse(options.Listen.Metrics, out _, out var error))
        {
            problems.Add($"listen.metrics: {error} ({options.Listen.Metrics})");
        }

        problems.AddRange(options.ExternalMetrics.Validate());
        problems.AddRange(options.KedaScaler.Validate());
        problems.AddRange(options.MithrilAuto.Validate(MithrilAutoOptions.SectionName, environment));
        return problems;
    }

    // The seed's rpc_url / websocket_url fill chain.endpoints; both forms at once would leave the reader guessing which wins.
    private static IEnumerable<string> ApplyAliases(ExporterOptions options)
    {
        var aliases = options.AliasEndpoints;
        if (aliases.Count == 0)
        {
            return [];
        }

        if (options.Chain.Endpoints.Count > 0)
        {
            return ["rpc_url, websocket_url: aliases of chain.endpoints, which is also set (keep one of the two forms)"];
        }

        options.Chain.Endpoints = [.. aliases];
        return [];
    }

    // The generated validator says "SyncParallelism: The field ExporterOptions.Chain.SyncParallelism must be
    // between 1 and 64." (messages start with the display name, "{0}"); operators want "chain.sync_parallelism: must be …".
    private static string Describe(string failure)
    {
        var m = FailurePattern().Match(failure);
        if (!m.Success)
        {
            return failure;
        }

        var member = m.Groups["path"].Value;
        member = member.StartsWith(nameof(ExporterOptions) + ".", StringComparison.Ordinal) ? member[(nameof(ExporterOptions).Length + 1)..] : member;
        return $"{OptionsSchema.KeyPath(typeof(ExporterOptions), member)}: {m.Groups["error"].Value}";
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

    [GeneratedRegex(@"^[^:]*: (The field )?(?<path>[A-Za-z0-9_.\[\]]+) (?<error>.*)$", RegexOptions.Singleline)]
    private static partial Regex FailurePattern();
}
