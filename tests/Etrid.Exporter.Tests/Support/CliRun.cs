using Etrid.Exporter.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Exporter.Tests.Support;

/// <summary>A command line run in-process through the executable's own entry point, its output captured.</summary>
internal sealed record CliRun(int Exit, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <c>etrid-exporter</c> <paramref name="args"/> with only the given environment variables set.</summary>
    public static async Task<CliRun> ExporterAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ExporterCli.RunAsync(args, new CliContext(output, error, environment ?? new Dictionary<string, string>()), NullLoggerFactory.Instance);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
