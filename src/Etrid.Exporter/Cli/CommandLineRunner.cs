using System.CommandLine;

namespace Etrid.Exporter.Cli;

/// <summary>
/// Parses and runs a command line for either executable: bad options give one clear line each and exit 2,
/// never a stack trace. The executables' <c>Main</c> is this with the console; tests run it with buffers.
/// </summary>
internal static class CommandLineRunner
{
    /// <summary>The exit code of <paramref name="args"/> run against <paramref name="root"/>; <paramref name="defaultVerb"/>, when given, is what no verb (or only options) means.</summary>
    public static async Task<int> RunAsync(RootCommand root, string executable, string[] args, CliContext cli, string? defaultVerb = null, CancellationToken cancellationToken = default)
    {
        if (defaultVerb is not null && (args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")))
        {
            args = [defaultVerb, .. args];
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line per problem and a non-zero exit; the usage is one --help away.
            // What the user typed wrong first (an unknown word), then what is missing.
            foreach (var error in parsed.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1))
            {
                await cli.Error.WriteLineAsync($"error: {error.Message}");
            }

            await cli.Error.WriteLineAsync($"see: {executable} {parsed.CommandResult.Command.Name} --help");
            return 2;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = cli.Out, Error = cli.Error }, cancellationToken);
    }
}
