using Etrid.Exporter.Cli;
using Etrid.Exporter.Hosting;

using var loggerFactory = LoggingSetup.CreateFactory();
return await ExporterCli.RunAsync(args, CliContext.Console, loggerFactory);
