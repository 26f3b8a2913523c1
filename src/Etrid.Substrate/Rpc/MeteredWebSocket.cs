using System.Net.WebSockets;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// Wraps a WebSocket to count bytes in both directions and to refuse incoming messages larger than a
/// limit, so a misbehaving node cannot make the client buffer without bound.
/// </summary>
internal sealed class MeteredWebSocket : WebSocket
{
    private readonly WebSocket _inner;
    private readonly int _maxMessageBytes;
    private readonly ByteCounters _counters;
    private long _currentMessageBytes;

    public MeteredWebSocket(WebSocket inner, int maxMessageBytes, ByteCounters counters)
    {
        _inner = inner;
        _maxMessageBytes = maxMessageBytes;
        _counters = counters;
    }

    /// <summary>Why this socket was aborted for a message over the limit (naming its size and the limit), or null.</summary>
    public string? Violation { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => _inner.CloseStatus;

    public override string? CloseStatusDescription => _inner.CloseStatusDescription;

    public override WebSocketState State => _inner.State;

    public override string? SubProtocol => _inner.SubProtocol;

    public override void Abort() => _inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        _inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        _inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Dispose() => _inner.Dispose();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(result.Count, result.EndOfMessage);
        return result;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(result.Count, result.EndOfMessage);
        return result;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        _counters.AddSent(buffer.Count);
        return _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        _counters.AddSent(buffer.Length);
        return _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
    }

    private void Account(int count, bool endOfMessage)
    {
        _counters.AddReceived(count);
        _currentMessageBytes += count;
        if (_currentMessageBytes > _maxMessageBytes)
        {
            // The rest of the message is not read: its size is known only this far.
            Violation = $"a message of at least {_currentMessageBytes} bytes exceeds max_message_bytes ({_maxMessageBytes})";
            _inner.Abort();
            throw new WebSocketException(WebSocketError.Faulted, Violation);
        }

        if (endOfMessage)
        {
            _currentMessageBytes = 0;
        }
    }
}
