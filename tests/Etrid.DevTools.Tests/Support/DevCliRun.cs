using Etrid.DevTools.Cli;
using Etrid.Exporter.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.DevTools.Tests.Support;

/// <summary>A command line run in-process through <c>etrid-dev</c>'s own entry point, its output captured.</summary>
internal sealed record DevCliRun(int Exit, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<DevCliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DevCli.RunAsync(args, new CliContext(output, error, new Dictionary<string, string>()), NullLoggerFactory.Instance);
        return new DevCliRun(exit, output.ToString(), error.ToString());
    }
}
