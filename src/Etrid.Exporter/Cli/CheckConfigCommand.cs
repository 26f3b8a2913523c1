using System.CommandLine;
using Etrid.Exporter.Configuration;

namespace Etrid.Exporter.Cli;

/// <summary><c>etrid-exporter check-config</c>: validate and print the effective configuration, secrets redacted.</summary>
internal static class CheckConfigCommand
{
    public static Command Create(CliContext cli)
    {
        var config = ConfigOption.Create();
        var command = new Command("check-config", "Validate the configuration and print it as it takes effect, with secrets redacted") { config };
        command.SetAction(async (result, _) =>
        {
            // The services serve would run, composed and validated, nothing started.
            using var checkedConfiguration = ConfigOption.Check(result.GetValue(config), cli);
            if (checkedConfiguration is null)
            {
                return 2;
            }

            await cli.Out.WriteAsync(ConfigPrinter.Print(checkedConfiguration.Services));
            return 0;
        });
        return command;
    }
}
