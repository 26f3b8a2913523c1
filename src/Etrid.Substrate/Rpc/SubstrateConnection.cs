using System.Net.WebSockets;
using System.Text.Json;
using StreamJsonRpc;

namespace Etrid.Substrate.Rpc;

/// <summary>One WebSocket connection to one node, speaking JSON-RPC 2.0 through StreamJsonRpc.</summary>
internal sealed class SubstrateConnection : IAsyncDisposable
{
    /// <summary>Notification methods that carry subscription items.</summary>
    public static readonly string[] NotificationMethods =
    [
        "chain_newHead", "chain_finalizedHead", "chain_allHead", "state_storage", "state_runtimeVersion",
    ];

    private readonly ClientWebSocket _socket;
    private readonly MeteredWebSocket _metered;
    private readonly JsonRpc _rpc;

    private SubstrateConnection(Uri endpoint, ClientWebSocket socket, MeteredWebSocket metered, JsonRpc rpc)
    {
        Endpoint = endpoint;
        DisplayName = EndpointDisplay.Redact(endpoint);
        _socket = socket;
        _metered = metered;
        _rpc = rpc;
    }

    /// <summary>Why the connection was dropped for the node's doing (an oversized message), or null.</summary>
    public string? Violation => _metered.Violation;

    public Uri Endpoint { get; }

    public string DisplayName { get; }

    /// <summary>Completes when the connection is lost or closed.</summary>
    public Task Completion => _rpc.Completion;

    public static async Task<SubstrateConnection> ConnectAsync(
        Uri endpoint,
        SubstrateClientOptions options,
        ByteCounters counters,
        Action<string, JsonElement, JsonElement> onNotification,
        Action<string> onStrayReply,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            var target = ToWebSocketUri(endpoint);
            if (!string.IsNullOrEmpty(target.UserInfo))
            {
                // Credentials in the URL go as Basic auth (node behind a proxy), never in the request line.
                var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(target.UserInfo)));
                socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
                target = new UriBuilder(target) { UserName = string.Empty, Password = string.Empty }.Uri;
            }

            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SubstrateRpcException("connect", EndpointDisplay.Redact(endpoint), null, e is OperationCanceledException ? $"no handshake within {options.ConnectTimeout}" : e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var metered = new MeteredWebSocket(socket, options.MaxMessageBytes, counters);
        var formatter = new SystemTextJsonFormatter();
        var handler = new GuardedMessageHandler(metered, formatter, 64 * 1024, onStrayReply);
        var rpc = new JsonRpc(handler)
        {
            // Substrate nodes do not know $/cancelRequest; a cancelled call is simply abandoned.
            CancellationStrategy = null,
            // One notification at a time, in order: StreamJsonRpc otherwise dispatches them on the
            // thread pool, where two heads could be seen out of order.
            SynchronizationContext = new Microsoft.VisualStudio.Threading.NonConcurrentSynchronizationContext(sticky: false),
        };
        foreach (var method in NotificationMethods)
        {
            rpc.AddLocalRpcMethod(method, new Action<JsonElement, JsonElement>((subscription, result) => onNotification(method, subscription, result)));
        }

        rpc.StartListening();
        return new SubstrateConnection(endpoint, socket, metered, rpc);
    }

    /// <summary>Sends one request and returns its raw result.</summary>
    public Task<JsonElement> InvokeAsync(string method, object?[] args, TimeSpan timeout, CancellationToken cancellationToken) =>
        InvokeAsync<JsonElement>(method, args, timeout, cancellationToken);

    /// <summary>
    /// Sends one request and returns its result read as <typeparamref name="T"/> from the answer's bytes (a type with its
    /// own JSON converter, such as <see cref="StorageValues"/>, reads it without an intermediate copy).
    /// </summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            // Nodes cannot cancel a request, so a cancelled or timed-out call is abandoned here; its late
            // answer is discarded when it comes.
            return await _rpc.InvokeWithCancellationAsync<T>(method, args, cts.Token).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (RemoteInvocationException e)
        {
            var message = e.Message;
            if (e.ErrorData is JsonElement { ValueKind: JsonValueKind.String } data)
            {
                message = $"{message}: {data.GetString()}";
            }

            throw new SubstrateRpcException(method, DisplayName, e.ErrorCode, message, e);
        }
        catch (JsonException e)
        {
            // The answer came but is not a T: the node's fault, reported as Substrate reports a malformed result.
            throw new SubstrateRpcException(method, DisplayName, -32603, $"malformed result: {e.Message}", e);
        }
        catch (RemoteMethodNotFoundException e)
        {
            throw new SubstrateRpcException(method, DisplayName, -32601, e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SubstrateRpcException(method, DisplayName, null, $"no answer within {timeout}", e);
        }
        catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException or WebSocketException or RemoteRpcException)
        {
            throw new SubstrateRpcException(method, DisplayName, null, $"connection lost: {Violation ?? e.Message}", e);
        }
    }

    /// <summary>Maps http(s) to ws(s): HTTP and WebSocket share the node's RPC port.</summary>
    public static Uri ToWebSocketUri(Uri endpoint) => endpoint.Scheme switch
    {
        "http" => new UriBuilder(endpoint) { Scheme = "ws", Port = endpoint.Port }.Uri,
        "https" => new UriBuilder(endpoint) { Scheme = "wss", Port = endpoint.Port }.Uri,
        _ => endpoint,
    };

    /// <summary>Drops the connection at once, as a network failure would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        try
        {
            await _rpc.Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection is being thrown away; how it ended was already reported.
        }

        _socket.Dispose();
    }
}
