using System.Net.WebSockets;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using StreamJsonRpc.Reflection;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// StreamJsonRpc's WebSocket handler with one guard: a reply whose id was never sent on this connection
/// (or was answered already) is dropped and reported, instead of reaching StreamJsonRpc, which ends the
/// connection over it. Bounded: an id is forgotten once <see cref="MaxOutstanding"/> later requests were
/// sent (an abandoned request whose answer never comes), so memory does not grow with the connection's age.
/// </summary>
internal sealed class GuardedMessageHandler : WebSocketMessageHandler
{
    /// <summary>Far more requests than are ever in flight at once (the follower keeps a few dozen).</summary>
    public const int MaxOutstanding = 4096;

    private readonly Lock _gate = new();
    private readonly HashSet<RequestId> _outstanding = [];
    private readonly Queue<RequestId> _order = new();
    private readonly Action<string> _onStray;

    public GuardedMessageHandler(WebSocket socket, IJsonRpcMessageFormatter formatter, int sizeHint, Action<string> onStray)
        : base(socket, formatter, sizeHint)
    {
        _onStray = onStray;
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            var id = message switch
            {
                JsonRpcResult r => r.RequestId,
                JsonRpcError e => e.RequestId,
                _ => (RequestId?)null,
            };
            if (id is not { } replyTo || Expected(replyTo))
            {
                return message;
            }

            // The message was never handed to StreamJsonRpc: release its buffer before reading the next.
            ((IJsonRpcMessageBufferManager)this).DeserializationComplete(message!);
            _onStray(replyTo.ToString());
        }
    }

    protected override ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcRequest { IsResponseExpected: true } request)
        {
            lock (_gate)
            {
                if (_outstanding.Add(request.RequestId))
                {
                    _order.Enqueue(request.RequestId);
                }

                while (_order.Count > MaxOutstanding)
                {
                    _outstanding.Remove(_order.Dequeue());
                }
            }
        }

        return base.WriteCoreAsync(content, cancellationToken);
    }

    private bool Expected(RequestId id)
    {
        lock (_gate)
        {
            // An answered id stays in _order until it ages out: harmless, ids are never reused on a connection.
            return _outstanding.Remove(id);
        }
    }
}
