using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Scaling.Listeners;

/// <summary>
/// Limits that hold on every listener. Kestrel's connection limit is one for the whole server, so a flood on one port
/// (say 2,000 TLS handshakes on the API) would also refuse the kubelet's probes on another: each listener counts its
/// own connections instead, and one past its limit is closed at once, before any TLS work.
/// </summary>
public static class ListenerLimits
{
    /// <summary>Connections open at once on the metrics, health and status page listener (plain HTTP: cheap to hold).</summary>
    public const int MetricsConnections = 2_048;

    /// <summary>Connections open at once on the external metrics API (TLS: each costs tens of kilobytes of native memory).</summary>
    public const int ExternalMetricsConnections = 512;

    /// <summary>Connections open at once on the KEDA scaler (KEDA keeps a few long-lived HTTP/2 connections).</summary>
    public const int KedaScalerConnections = 256;

    /// <summary>Longest wait for a request's headers, and for a TLS handshake (each TLS listener sets it): a silent or slow client is cut after it.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest idle time of a kept-alive connection.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Largest request body: no endpoint takes more than a small gRPC message.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Concurrent HTTP/2 streams on one connection.</summary>
    public const int MaxStreamsPerConnection = 100;

    /// <summary>Sets the server-wide limits above on Kestrel (per-listener connection counts are set by <see cref="LimitConnections"/>).</summary>
    public static KestrelServerOptions ApplyServerLimits(this KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.RequestHeadersTimeout = HeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = KeepAliveTimeout;
        kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        kestrel.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
        return kestrel;
    }

    /// <summary>
    /// Holds at most <paramref name="limit"/> connections open on <paramref name="listen"/>; one more is closed as soon as it
    /// is accepted. Call it before <c>UseHttps</c>, so that a refused connection costs no handshake.
    /// </summary>
    public static ListenOptions LimitConnections(this ListenOptions listen, int limit)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var open = 0;
        listen.Use(next => async connection =>
        {
            if (Interlocked.Increment(ref open) > limit)
            {
                Interlocked.Decrement(ref open);
                connection.Abort(new ConnectionAbortedException($"the listener holds its limit of {limit} connections"));
                return;
            }

            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        });
        return listen;
    }
}
