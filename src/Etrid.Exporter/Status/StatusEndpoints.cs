using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Status.History;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Telemetry;

namespace Etrid.Exporter.Status;

/// <summary>
/// Maps the status page (<c>/</c>), its document (<c>/status</c>, JSON), its live feed
/// (<c>/status/events</c>, server-sent events: the document on connect, on every new snapshot and at
/// least every <see cref="Heartbeat"/>, so ages and readiness move even when the chain stops) and, when
/// <see cref="StatusHistoryExtensions.AddStatusHistory"/> registered it, the charts' history (<c>/status/history</c>).
/// Every answer carries <c>X-Content-Type-Options: nosniff</c>.
/// </summary>
public static class StatusEndpoints
{
    /// <summary>The longest gap between two events of the live feed.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>Live feeds served at once; more get a 503 (each holds a snapshot watcher).</summary>
    public const int MaxStreams = 64;

    /// <summary>
    /// Live feeds one client address holds at once (a few tabs); more get a 503, so one client cannot take
    /// every feed and turn the other viewers' pages into polling ones.
    /// </summary>
    public const int MaxStreamsPerClient = 6;

    /// <summary>Maps the three endpoints; <see cref="IStatusSection"/>s registered in DI appear in the document by name.</summary>
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints, string pbc)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var source = services.GetRequiredService<IChainSnapshotSource>();
        var time = services.GetRequiredService<TimeProvider>();
        // Each scaling interface registers its options only when it is on.
        var reader = new StatusReader(
            source,
            time,
            pbc,
            services.GetServices<IStatusSection>(),
            services.GetService<ScalingTelemetry>(),
            services.GetService<ExternalMetricsOptions>() is not null,
            services.GetService<KedaScalerOptions>() is not null);
        var streams = new StreamCount();
        var history = services.GetService<StatusHistory>();
        // Open feeds end when the host stops, or a page left open would hold shutdown for its whole timeout.
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

        endpoints.MapGet("/", context =>
        {
            var document = reader.Read();
            NoStore(context);
            context.Response.Headers.ContentSecurityPolicy = StatusPage.ContentSecurityPolicy;
            return Results.Content(StatusPage.Render(pbc, document.Ready, document.Reason, reader.ToJson(document)), "text/html; charset=utf-8").ExecuteAsync(context);
        });
        endpoints.MapGet("/status", context =>
        {
            NoStore(context);
            return Results.Text(reader.ReadJson(Top(ProvidersOf(context))), "application/json; charset=utf-8").ExecuteAsync(context);
        });
        if (history is not null)
        {
            endpoints.MapGet("/status/history", context =>
            {
                NoStore(context);
                return Results.Json(history.Read(), StatusReader.JsonOptions, "application/json; charset=utf-8").ExecuteAsync(context);
            });
        }

        endpoints.MapGet("/status/events", context =>
        {
            var client = context.Connection.RemoteIpAddress;
            if (streams.TryEnter(client) is { } refusal)
            {
                NoStore(context);
                return Results.Text(refusal + "\n", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            }

            var feed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            context.Response.OnCompleted(() =>
            {
                streams.Leave(client);
                feed.Dispose();
                return Task.CompletedTask;
            });
            NoStore(context);
            return TypedResults.ServerSentEvents(Events(reader, source, time, Top(ProvidersOf(context)), feed.Token), eventType: "status").ExecuteAsync(context);
        });
        return endpoints;
    }

    private static async IAsyncEnumerable<string> Events(StatusReader reader, IChainSnapshotSource source, TimeProvider time, int top, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return reader.ReadJson(top);
        var snapshots = source.WatchAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        Task<bool>? next = null;
        try
        {
            // The watch yields the current snapshot first: that one is already sent.
            next = snapshots.MoveNextAsync().AsTask();
            if (!await MovedAsync(next).ConfigureAwait(false))
            {
                yield break;
            }

            next = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                next ??= snapshots.MoveNextAsync().AsTask();
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var heartbeat = Task.Delay(Heartbeat, time, tick.Token);
                var done = await Task.WhenAny(next, heartbeat).ConfigureAwait(false);
                await tick.CancelAsync().ConfigureAwait(false);
                if (done == next)
                {
                    if (!await MovedAsync(next).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    next = null;
                }
                else if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return reader.ReadJson(top);
            }
        }
        finally
        {
            // An enumerator may not be disposed while a MoveNextAsync is pending: let the cancellation land first.
            if (next is not null)
            {
                await MovedAsync(next).ConfigureAwait(false);
            }

            await snapshots.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int Top(string? providers) =>
        int.TryParse(providers, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, StatusReader.MaxTopProviders) : StatusReader.DefaultTopProviders;

    // The query's ?providers=N as a plain request delegate reads it (no parameter binding).
    private static string? ProvidersOf(HttpContext context) =>
        context.Request.Query.TryGetValue("providers", out var values) && values.Count > 0 ? values[0] : null;

    // Every answer of the page: never cached, never sniffed into another type.
    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
    }

    // A request aborted while waiting ends the feed quietly.
    private static async Task<bool> MovedAsync(Task<bool> next)
    {
        try
        {
            return await next.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Counts open live feeds, in all and by client address.</summary>
    private sealed class StreamCount
    {
        private readonly Dictionary<IPAddress, int> _byClient = [];
        private readonly Lock _lock = new();
        private int _open;

        // Null when the feed may open; else why not.
        public string? TryEnter(IPAddress? client)
        {
            var key = Key(client);
            lock (_lock)
            {
                var mine = _byClient.GetValueOrDefault(key);
                if (mine >= MaxStreamsPerClient)
                {
                    return $"this client already holds {MaxStreamsPerClient} live status feeds";
                }

                if (_open >= MaxStreams)
                {
                    return $"more than {MaxStreams} live status feeds are open";
                }

                _byClient[key] = mine + 1;
                _open++;
                return null;
            }
        }

        public void Leave(IPAddress? client)
        {
            var key = Key(client);
            lock (_lock)
            {
                _open--;
                if (--CollectionsMarshal.GetValueRefOrNullRef(_byClient, key) == 0)
                {
                    _byClient.Remove(key);
                }
            }
        }

        // An IPv4 client seen over an IPv6 socket is the same client.
        private static IPAddress Key(IPAddress? client) => client is null ? IPAddress.None : client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
    }
}
