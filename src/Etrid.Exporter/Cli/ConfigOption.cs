using System.Collections;
using System.CommandLine;
using Etrid.Exporter.Configuration;

namespace Etrid.Exporter.Cli;

/// <summary>The shared <c>--config</c> option and loading the configuration for a verb.</summary>
internal static class ConfigOption
{
    public static Option<FileInfo?> Create() => new("--config", "-c")
    {
        Description = "YAML configuration file (default: $ETRID_CONFIG, else built-in defaults); ETRID_* variables override keys",
    };

    public static IReadOnlyDictionary<string, string> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);

    /// <summary>Loads the configuration, printing every problem; null when there were any.</summary>
    public static ExporterOptions? Load(FileInfo? file, TextWriter error)
    {
        var env = Environment();
        var path = file?.FullName ?? (env.TryGetValue(ExporterConfiguration.ConfigVariable, out var fromEnv) && fromEnv.Length > 0 ? fromEnv : null);
        var (options, problems) = ExporterConfiguration.Load(path, env);
        foreach (var problem in problems)
        {
            error.WriteLine($"error: {problem}");
        }

        if (problems.Count > 0)
        {
            error.WriteLine($"{problems.Count} configuration problem(s){(path is null ? string.Empty : " in " + path)}");
        }

        return options;
    }
}
