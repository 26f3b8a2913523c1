using Microsoft.Extensions.Hosting;

namespace Etrid.DevChain.Rpc;

/// <summary>
/// A host lifetime that leaves signals alone: the server is embedded in a command that handles
/// Ctrl+C itself, and the default console lifetime would hold the process open on SIGTERM.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
