using System.CommandLine;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;

namespace Etrid.Exporter.Cli;

/// <summary>The shared <c>--config</c> option, and loading the configuration into a host for a verb.</summary>
internal static class ConfigOption
{
    public static Option<FileInfo?> Create() => new("--config", "-c")
    {
        Description = "YAML configuration file (default: $ETRID_CONFIG, else built-in defaults); ETRID_* variables override keys",
    };

    /// <summary>
    /// Loads the configuration and runs every part's start-up validation on the host's services
    /// (<see cref="ExporterHost.Check"/>); prints every problem and returns null when there were any.
    /// <c>check-config</c>, <c>serve</c> and <c>simulate</c> all come here, so they give a file one verdict in the same lines.
    /// </summary>
    public static CheckedConfiguration? Check(FileInfo? file, CliContext cli)
    {
        var path = file?.FullName ?? (cli.Variable(ExporterConfiguration.ConfigVariable) is { Length: > 0 } fromEnv ? fromEnv : null);
        var (checkedConfiguration, problems) = ExporterHost.Check(path, cli.Environment);
        foreach (var problem in problems)
        {
            cli.Error.WriteLine($"error: {problem}");
        }

        if (problems.Count > 0)
        {
            cli.Error.WriteLine($"{problems.Count} configuration problem(s){(path is null ? string.Empty : " in " + path)}");
        }

        return checkedConfiguration;
    }
}
