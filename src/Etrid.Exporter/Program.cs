using System.CommandLine;
using Etrid.Exporter.Cli;
using Etrid.Exporter.Hosting;

using var loggerFactory = LoggingSetup.CreateFactory();

var root = new RootCommand("etrid-exporter: Etrid AI-Compute chain metrics, autoscaling and GPU burst");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DemoCommand.Create(loggerFactory));
root.Subcommands.Add(CheckConfigCommand.Create());
root.Subcommands.Add(InspectCommand.Create(loggerFactory));
root.Subcommands.Add(DevChainCommand.Create(loggerFactory));
root.Subcommands.Add(DevMarketCommand.Create(loggerFactory));
root.Subcommands.Add(SimulateCommand.Create());

// serve is the default verb: no verb, or only options, means serve.
if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version"))
{
    args = ["serve", .. args];
}

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One clear line per problem and a non-zero exit; the usage is one --help away.
    // What the user typed wrong first (an unknown word), then what is missing.
    foreach (var error in parsed.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1))
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    await Console.Error.WriteLineAsync($"see: etrid-exporter {parsed.CommandResult.Command.Name} --help");
    return 2;
}

return await parsed.InvokeAsync();
