using Etrid.Exporter.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// <c>etrid-exporter serve</c> run in-process through the executable's entry point, stopped as soon as it says it
/// serves: the verdict <c>serve</c> gives a configuration (started, refused with an exit code, or an exception that
/// would reach the user as a stack trace).
/// </summary>
internal sealed record ServeRun(bool Started, int? Exit, string Stderr, Exception? Thrown)
{
    private const string ServingMarker = "serving /metrics";

    public static async Task<ServeRun> RunAsync(string configPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stop = new CancellationTokenSource();
        using var output = new MarkerWriter(ServingMarker, stop);
        using var error = new StringWriter();
        try
        {
            var exit = await ExporterCli.RunAsync(["serve", "--config", configPath], new CliContext(output, error, environment ?? new Dictionary<string, string>()), NullLoggerFactory.Instance, stop.Token);
            return new ServeRun(output.Seen, exit, error.ToString(), null);
        }
        catch (Exception e)
        {
            return new ServeRun(output.Seen, null, error.ToString(), e);
        }
    }

    /// <summary>Cancels <paramref name="stop"/> once a line with <paramref name="marker"/> is written.</summary>
    private sealed class MarkerWriter(string marker, CancellationTokenSource stop) : StringWriter
    {
        public bool Seen { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check(value);
        }

        public override Task WriteLineAsync(string? value)
        {
            base.WriteLine(value);
            Check(value);
            return Task.CompletedTask;
        }

        private void Check(string? value)
        {
            if (value is not null && value.Contains(marker, StringComparison.Ordinal))
            {
                Seen = true;
                stop.Cancel();
            }
        }
    }
}
