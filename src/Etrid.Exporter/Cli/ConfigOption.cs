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

    /// <summary>Loads the configuration, printing every problem; null when there were any.</summary>
    public static ExporterOptions? Load(FileInfo? file, CliContext cli)
    {
        var path = file?.FullName ?? (cli.Variable(ExporterConfiguration.ConfigVariable) is { Length: > 0 } fromEnv ? fromEnv : null);
        var (options, problems) = ExporterConfiguration.Load(path, cli.Environment);
        foreach (var problem in problems)
        {
            cli.Error.WriteLine($"error: {problem}");
        }

        if (problems.Count > 0)
        {
            cli.Error.WriteLine($"{problems.Count} configuration problem(s){(path is null ? string.Empty : " in " + path)}");
        }

        return options;
    }
}
