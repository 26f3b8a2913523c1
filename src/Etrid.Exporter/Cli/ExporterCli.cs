using System.CommandLine;

namespace Etrid.Exporter.Cli;

/// <summary>The production executable's verbs: <c>serve</c> (the default), <c>check-config</c> and <c>inspect</c>.</summary>
internal static class ExporterCli
{
    /// <summary>The executable's name, as help and errors print it.</summary>
    public const string Name = "etrid-exporter";

    /// <summary>Runs a command line as <c>etrid-exporter</c> would; the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliContext cli, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand($"{Name}: Etrid AI-Compute chain metrics, autoscaling and GPU burst")
        {
            ServeCommand.Create(cli),
            CheckConfigCommand.Create(cli),
            InspectCommand.Create(loggerFactory, cli),
        };
        return CommandLineRunner.RunAsync(root, Name, args, cli, defaultVerb: "serve", cancellationToken);
    }
}
