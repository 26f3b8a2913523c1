namespace Etrid.Exporter.Cli;

/// <summary>Starts a web host for a verb, reporting a listen failure in one line instead of a stack trace.</summary>
internal static class HostRunner
{
    /// <summary>True when started; false after printing why not (the address named by <paramref name="what"/>).</summary>
    public static async Task<bool> TryStartAsync(WebApplication app, string what, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
            return true;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: {what}: {e.Message}");
            return false;
        }
    }
}
