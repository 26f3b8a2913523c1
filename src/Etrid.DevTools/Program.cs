using Etrid.DevTools.Cli;
using Etrid.Exporter.Cli;
using Etrid.Exporter.Hosting;

using var loggerFactory = LoggingSetup.CreateFactory();
return await DevCli.RunAsync(args, CliContext.Console, loggerFactory);
