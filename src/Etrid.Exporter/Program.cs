using System.CommandLine;
using Etrid.Exporter.Cli;

using var loggerFactory = LoggerFactory.Create(b => b
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
    .AddFilter("Microsoft.Hosting", LogLevel.Warning)
    // Start-up failures are reported by the verb itself, in one line.
    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical));

var root = new RootCommand("etrid-exporter: Etrid AI-Compute chain metrics, autoscaling and GPU burst");
var serve = ServeCommand.Create(loggerFactory);
root.Subcommands.Add(serve);
root.Subcommands.Add(DemoCommand.Create(loggerFactory));
root.Subcommands.Add(CheckConfigCommand.Create());
root.Subcommands.Add(InspectCommand.Create(loggerFactory));
root.Subcommands.Add(DevChainCommand.Create(loggerFactory));

// serve is the default verb: no verb, or only options, means serve.
if (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version"))
{
    args = ["serve", .. args];
}

return await root.Parse(args).InvokeAsync();
