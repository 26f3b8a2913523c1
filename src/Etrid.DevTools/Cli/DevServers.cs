using Etrid.DevChain.Rpc;
using Etrid.DevMarket.Server;
using Etrid.Exporter.Cli;

namespace Etrid.DevTools.Cli;

/// <summary>Starts the dev world's servers, reporting an address that cannot be listened on in one line.</summary>
internal static class DevServers
{
    /// <summary>Starts the dev chain's server; null after printing why it could not listen.</summary>
    public static Task<Uri?> TryStartAsync(DevChainServer server, string listen, string flag, TextWriter error, CancellationToken cancellationToken) =>
        HostRunner.TryListenAsync(() => server.StartAsync(listen, cancellationToken), listen, flag, error);

    /// <summary>Starts the dev market's server; null after printing why it could not listen.</summary>
    public static Task<Uri?> TryStartAsync(DevMarketServer server, string listen, string flag, TextWriter error, CancellationToken cancellationToken) =>
        HostRunner.TryListenAsync(() => server.StartAsync(listen, cancellationToken), listen, flag, error);
}
