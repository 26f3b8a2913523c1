using Microsoft.Extensions.Hosting;

namespace Etrid.DevMarket.Server;

/// <summary>A host lifetime that leaves signals alone: the server is embedded in a command or a test that owns the process.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
