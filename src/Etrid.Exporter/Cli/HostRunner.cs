using Etrid.DevChain.Rpc;

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

    /// <summary>Starts the dev chain's server; null after printing why it could not listen.</summary>
    public static async Task<Uri?> TryStartAsync(DevChainServer server, string listen, string flag, CancellationToken cancellationToken)
    {
        try
        {
            return await server.StartAsync(listen, cancellationToken);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: {flag} {listen}: {e.Message}");
            return null;
        }
    }
}
