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
root.Subcommands.Add(DevChainCommand.Create(loggerFactory));
root.Subcommands.Add(DevChainCommand.CreateDemo(loggerFactory));
return await root.Parse(args).InvokeAsync();
