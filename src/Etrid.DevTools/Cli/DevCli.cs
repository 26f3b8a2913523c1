using System.CommandLine;
using Etrid.Exporter.Cli;

namespace Etrid.DevTools.Cli;

/// <summary>The dev executable's verbs: <c>demo</c>, <c>devchain</c>, <c>devmarket</c> and <c>simulate</c>.</summary>
internal static class DevCli
{
    /// <summary>The executable's name, as help and errors print it.</summary>
    public const string Name = "etrid-dev";

    /// <summary>Runs a command line as <c>etrid-dev</c> would; the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliContext cli, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand($"{Name}: the Etrid exporter's dev world (a dev chain, a Mithril API simulator, the demo and the burst simulation); not for production")
        {
            DemoCommand.Create(loggerFactory, cli),
            DevChainCommand.Create(loggerFactory, cli),
            DevMarketCommand.Create(loggerFactory, cli),
            SimulateCommand.Create(cli),
        };
        return CommandLineRunner.RunAsync(root, Name, args, cli, defaultVerb: null, cancellationToken);
    }
}
