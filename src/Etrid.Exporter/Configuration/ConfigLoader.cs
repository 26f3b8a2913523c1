using System.Globalization;
using System.Text.RegularExpressions;
using Etrid.AiCompute.Follower;
using Etrid.Substrate.Rpc;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// Loads the configuration: one YAML file, then environment variables (<c>ETRID_CHAIN__STALENESS_LIMIT=2m</c>:
/// prefix <c>ETRID_</c>, <c>__</c> between levels, list items by index or comma-separated), then
/// <c>${VAR}</c> expanded from the environment. Every problem is collected with its key path.
/// </summary>
public static partial class ConfigLoader
{
    public const string EnvironmentPrefix = "ETRID_";

    private static readonly string[] KnownKeys =
    [
        "pbc", "chain", "chain.endpoints", "chain.finality", "chain.staleness_limit", "chain.request_timeout", "chain.connect_timeout",
        "chain.watchdog_blocks", "chain.block_time", "chain.max_message_bytes", "chain.window", "chain.verify_interval",
        "chain.max_gap_blocks", "chain.sync_parallelism", "listen", "listen.metrics",
    ];

    /// <summary>Loads and validates; <paramref name="problems"/> lists everything wrong (options are null then).</summary>
    public static ExporterOptions? Load(string? yamlPath, IReadOnlyDictionary<string, string> environment, out IReadOnlyList<string> problems, out ConfigNode effective)
    {
        var list = new List<string>();
        effective = ConfigNode.NewMap();
        if (yamlPath is not null)
        {
            try
            {
                effective = Parse(File.ReadAllText(yamlPath), list);
            }
            catch (IOException e)
            {
                list.Add($"config file '{yamlPath}': {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                list.Add($"config file '{yamlPath}': {e.Message}");
            }
        }

        ApplyEnvironment(effective, environment, list);
        Expand(effective, "", environment, list);
        CheckKnown(effective, "", list);
        var options = Bind(effective, list);
        problems = list;
        return list.Count == 0 ? options : null;
    }

    /// <summary>Parses YAML text into a tree; syntax errors are reported with their line.</summary>
    public static ConfigNode Parse(string yaml, List<string> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            problems.Add($"config file: YAML error at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
            return ConfigNode.NewMap();
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return ConfigNode.NewMap();
        }

        var root = Convert(stream.Documents[0].RootNode);
        if (root.Map is null)
        {
            problems.Add("config file: the top level must be a map of keys");
            return ConfigNode.NewMap();
        }

        return root;
    }

    private static ConfigNode Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => FromMap(map),
        YamlSequenceNode seq => FromList(seq),
        YamlScalarNode scalar => ConfigNode.NewScalar(scalar.Value),
        _ => ConfigNode.NewScalar(null),
    };

    private static ConfigNode FromMap(YamlMappingNode map)
    {
        var node = ConfigNode.NewMap();
        foreach (var (key, value) in map.Children)
        {
            node.Map![((YamlScalarNode)key).Value ?? string.Empty] = Convert(value);
        }

        return node;
    }

    private static ConfigNode FromList(YamlSequenceNode seq)
    {
        var node = ConfigNode.NewList();
        node.List!.AddRange(seq.Children.Select(Convert));
        return node;
    }

    private static void ApplyEnvironment(ConfigNode root, IReadOnlyDictionary<string, string> environment, List<string> problems)
    {
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var segments = name[EnvironmentPrefix.Length..].ToLowerInvariant().Split("__");
            var path = string.Join('.', segments);
            var node = root;
            for (var i = 0; i < segments.Length; i++)
            {
                var last = i == segments.Length - 1;
                var segment = segments[i];
                if (node.List is not null)
                {
                    if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > node.List.Count)
                    {
                        problems.Add($"{name}: '{segment}' is not the index of an item or of the next item");
                        break;
                    }

                    if (index == node.List.Count)
                    {
                        node.List.Add(last ? ConfigNode.NewScalar(value) : ConfigNode.NewMap());
                    }
                    else if (last)
                    {
                        node.List[index] = ConfigNode.NewScalar(value);
                    }

                    node = node.List[index];
                    continue;
                }

                if (node.Map is null)
                {
                    problems.Add($"{name}: {path} goes below a scalar value");
                    break;
                }

                if (last)
                {
                    // A list key given as one variable: comma-separated items.
                    node.Map[segment] = path == "chain.endpoints" ? ListOf(value) : ConfigNode.NewScalar(value);
                }
                else
                {
                    if (!node.Map.TryGetValue(segment, out var child))
                    {
                        child = int.TryParse(segments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? ConfigNode.NewList() : ConfigNode.NewMap();
                        node.Map[segment] = child;
                    }

                    node = child;
                }
            }
        }
    }

    private static ConfigNode ListOf(string value)
    {
        var node = ConfigNode.NewList();
        node.List!.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ConfigNode.NewScalar));
        return node;
    }

    private static void Expand(ConfigNode node, string path, IReadOnlyDictionary<string, string> environment, List<string> problems)
    {
        if (node.Scalar is { } text)
        {
            node.Scalar = VariablePattern().Replace(text, m =>
            {
                var name = m.Groups[1].Value;
                if (environment.TryGetValue(name, out var value))
                {
                    return value;
                }

                problems.Add($"{path}: environment variable {name} is not set (referenced as ${{{name}}})");
                return string.Empty;
            });
        }

        foreach (var (key, child) in node.Map ?? [])
        {
            Expand(child, Join(path, key), environment, problems);
        }

        for (var i = 0; i < (node.List?.Count ?? 0); i++)
        {
            Expand(node.List![i], $"{path}[{i}]", environment, problems);
        }
    }

    private static void CheckKnown(ConfigNode node, string path, List<string> problems)
    {
        foreach (var (key, child) in node.Map ?? [])
        {
            var childPath = Join(path, key);
            if (!KnownKeys.Contains(childPath))
            {
                problems.Add($"{childPath}: unknown key");
                continue;
            }

            CheckKnown(child, childPath, problems);
        }
    }

    private static ExporterOptions? Bind(ConfigNode root, List<string> problems)
    {
        var b = new Binder(root, problems);
        var endpoints = b.StringList("chain.endpoints", ["ws://127.0.0.1:9944"]);
        var uris = new List<Uri>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (Uri.TryCreate(endpoints[i], UriKind.Absolute, out var uri))
            {
                uris.Add(uri);
            }
            else
            {
                problems.Add($"chain.endpoints[{i}]: '{EndpointDisplay.Redact(endpoints[i])}' is not an absolute URL");
            }
        }

        var finality = b.String("chain.finality", "finalized");
        if (finality is not ("finalized" or "best"))
        {
            problems.Add($"chain.finality: '{finality}' must be 'finalized' or 'best'");
        }

        var client = new SubstrateClientOptions
        {
            Endpoints = uris,
            RequestTimeout = b.Duration("chain.request_timeout", TimeSpan.FromSeconds(30)),
            ConnectTimeout = b.Duration("chain.connect_timeout", TimeSpan.FromSeconds(10)),
            WatchdogBlocks = b.Int("chain.watchdog_blocks", 10),
            BlockTime = b.Duration("chain.block_time", TimeSpan.FromSeconds(6)),
            MaxMessageBytes = b.Int("chain.max_message_bytes", 16 * 1024 * 1024),
        };
        var follower = new FollowerOptions
        {
            Finality = finality == "best" ? FinalityMode.Best : FinalityMode.Finalized,
            Window = b.Duration("chain.window", TimeSpan.FromSeconds(600)),
            VerifyInterval = b.Duration("chain.verify_interval", TimeSpan.FromMinutes(10)),
            MaxGapBlocks = b.Int("chain.max_gap_blocks", 100),
            SyncParallelism = b.Int("chain.sync_parallelism", 4),
        };
        var options = new ExporterOptions
        {
            Pbc = b.String("pbc", "ai-compute"),
            Client = client,
            Follower = follower,
            StalenessLimit = b.Duration("chain.staleness_limit", TimeSpan.FromSeconds(60)),
            MetricsListen = b.String("listen.metrics", "http://0.0.0.0:9090"),
        };
        if (string.IsNullOrWhiteSpace(options.Pbc))
        {
            problems.Add("pbc: must not be empty");
        }

        if (options.StalenessLimit <= TimeSpan.Zero)
        {
            problems.Add($"chain.staleness_limit: {options.StalenessLimit} must be positive");
        }

        if (!Uri.TryCreate(options.MetricsListen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
        {
            problems.Add($"listen.metrics: '{options.MetricsListen}' must be an http:// URL such as http://0.0.0.0:9090");
        }

        if (uris.Count == endpoints.Count)
        {
            problems.AddRange(client.Validate());
        }

        problems.AddRange(follower.Validate());
        return options;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();

    /// <summary>Typed reads with a default, recording a problem per bad value.</summary>
    private sealed class Binder(ConfigNode root, List<string> problems)
    {
        public string String(string path, string fallback) => Find(path)?.Scalar ?? fallback;

        public int Int(string path, int fallback)
        {
            var text = Find(path)?.Scalar;
            if (text is null)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"{path}: '{text}' is not a whole number");
            return fallback;
        }

        public TimeSpan Duration(string path, TimeSpan fallback)
        {
            var text = Find(path)?.Scalar;
            if (text is null)
            {
                return fallback;
            }

            if (DurationParser.TryParse(text, out var value))
            {
                return value;
            }

            problems.Add($"{path}: '{text}' is not a duration (examples: 6s, 500ms, 2m, 1h)");
            return fallback;
        }

        public List<string> StringList(string path, List<string> fallback)
        {
            var node = Find(path);
            if (node is null)
            {
                return fallback;
            }

            if (node.List is null)
            {
                return node.Scalar is { } single ? [single] : fallback;
            }

            return node.List.Select((n, i) => n.Scalar ?? Missing($"{path}[{i}]")).ToList();
        }

        private string Missing(string path)
        {
            problems.Add($"{path}: must be a text value");
            return string.Empty;
        }

        private ConfigNode? Find(string path)
        {
            var node = root;
            foreach (var segment in path.Split('.'))
            {
                if (node.Map is null || !node.Map.TryGetValue(segment, out var child))
                {
                    return null;
                }

                node = child;
            }

            return node;
        }
    }
}
