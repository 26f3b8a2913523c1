using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Etrid.DevChain.Chain;

namespace Etrid.DevChain.Rpc;

/// <summary>
/// One client connection: reads requests, answers them (concurrently, as nodes do), and sends the
/// notifications of its subscriptions through one ordered outbox.
/// </summary>
internal sealed class RpcSession
{
    public const int MaxMessageBytes = 15 * 1024 * 1024;
    public const int MaxSubscriptions = 1024;

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebSocket _socket;
    private readonly RpcMethods _methods;
    private readonly Chain.DevChain _chain;
    private readonly Func<string> _newId;
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, (SubscriptionKind Kind, List<string>? Keys)> _subscriptions = new(StringComparer.Ordinal);

    public RpcSession(WebSocket socket, RpcMethods methods, Chain.DevChain chain, Func<string> newId)
    {
        _socket = socket;
        _methods = methods;
        _chain = chain;
        _newId = newId;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var sender = SendLoopAsync(stopping);
        try
        {
            await ReceiveLoopAsync(stopping);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            _outbox.Writer.TryComplete();
            _subscriptions.Clear();
        }

        try
        {
            await sender;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Nothing more can be sent.
        }
    }

    public void Abort() => _socket.Abort();

    public string AddSubscription(SubscriptionKind kind, List<string>? keys)
    {
        if (_subscriptions.Count >= MaxSubscriptions)
        {
            throw new RpcErrorException(-32006, $"Too many subscriptions on the connection. Exceeded limit of {MaxSubscriptions}");
        }

        var id = _newId();
        _subscriptions[id] = (kind, keys);
        return id;
    }

    public bool RemoveSubscription(string id) => _subscriptions.TryRemove(id, out _);

    /// <summary>Subscriptions open on this connection.</summary>
    public int SubscriptionCount => _subscriptions.Count;

    /// <summary>The first item a subscription delivers at once: the current head, runtime version, or all watched keys.</summary>
    public void SendInitial(string id)
    {
        if (!_subscriptions.TryGetValue(id, out var sub))
        {
            return;
        }

        var best = _chain.ServedBest;
        switch (sub.Kind)
        {
            // As nodes do, head subscriptions start with the current head.
            case SubscriptionKind.NewHeads:
                Notify("chain_newHead", id, w => RpcJson.WriteHeader(w, best));
                break;
            case SubscriptionKind.FinalizedHeads:
                var finalized = _chain.ServedFinalized;
                Notify("chain_finalizedHead", id, w => RpcJson.WriteHeader(w, finalized));
                break;
            case SubscriptionKind.RuntimeVersion:
                Notify("state_runtimeVersion", id, w => RpcJson.WriteRuntimeVersion(w, _chain.SpecVersionAt(best)));
                break;
            case SubscriptionKind.Storage:
                var values = _chain.GetStorage(sub.Keys!, best);
                Notify("state_storage", id, w => RpcJson.WriteChangeSet(w, best, sub.Keys!, values));
                break;
            default:
                break;
        }
    }

    public void OnNewBlock(BlockInfo block)
    {
        block = _chain.Served(block);
        foreach (var (id, sub) in _subscriptions)
        {
            if (sub.Kind == SubscriptionKind.NewHeads)
            {
                Notify("chain_newHead", id, w => RpcJson.WriteHeader(w, block));
            }
            else if (sub.Kind == SubscriptionKind.Storage)
            {
                var changed = _chain.ChangedKeys(sub.Keys!, block);
                if (changed.Count > 0)
                {
                    var values = _chain.GetStorage(changed, block);
                    Notify("state_storage", id, w => RpcJson.WriteChangeSet(w, block, changed, values));
                }
            }
        }
    }

    public void OnFinalized(BlockInfo block)
    {
        block = _chain.Served(block);
        NotifyAll(SubscriptionKind.FinalizedHeads, "chain_finalizedHead", w => RpcJson.WriteHeader(w, block));
    }

    /// <summary>A flood of nonsense: heads numbered <paramref name="number"/> on both head kinds, and runtime versions with <paramref name="specVersion"/>.</summary>
    public void OnFlood(int count, uint number, uint specVersion)
    {
        var fake = _chain.ServedBest with { Number = number };
        for (var i = 0; i < count; i++)
        {
            NotifyAll(SubscriptionKind.NewHeads, "chain_newHead", w => RpcJson.WriteHeader(w, fake));
            NotifyAll(SubscriptionKind.FinalizedHeads, "chain_finalizedHead", w => RpcJson.WriteHeader(w, fake));
            NotifyAll(SubscriptionKind.RuntimeVersion, "state_runtimeVersion", w => RpcJson.WriteRuntimeVersion(w, specVersion));
        }
    }

    /// <summary>Replies to request ids the client never sent (far above any it uses).</summary>
    public void OnStrayReplies(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _outbox.Writer.TryWrite(System.Text.Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","result":"0x00","id":{{900_000_000 + i}}}"""));
        }
    }

    /// <summary>One head notification padded to <paramref name="bytes"/> bytes (more than a client should accept).</summary>
    public void OnOversizedMessage(int bytes)
    {
        var id = _subscriptions.Keys.FirstOrDefault() ?? "none";
        var head = $$"""{"jsonrpc":"2.0","method":"chain_newHead","params":{"subscription":"{{id}}","result":{"padding":""";
        const string tail = "\"}}}";
        var message = new byte[Math.Max(bytes, head.Length + tail.Length)];
        System.Text.Encoding.UTF8.GetBytes(head, message);
        message.AsSpan(head.Length, message.Length - head.Length - tail.Length).Fill((byte)'a');
        System.Text.Encoding.UTF8.GetBytes(tail, message.AsSpan(message.Length - tail.Length));
        _outbox.Writer.TryWrite(message);
    }

    public void OnRuntimeUpgraded(BlockInfo block) =>
        NotifyAll(SubscriptionKind.RuntimeVersion, "state_runtimeVersion", w => RpcJson.WriteRuntimeVersion(w, block.SpecVersion));

    /// <summary>Answers one message (a request, a notification or a batch); null when nothing is to be sent.</summary>
    public static byte[]? Answer(RpcMethods methods, ReadOnlyMemory<byte> message, RpcSession? session, List<Action> afterSend)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            return Error(null, -32700, "Parse error", null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return AnswerOne(methods, root, session, afterSend);
            }

            if (root.GetArrayLength() == 0)
            {
                return Error(null, -32600, "Invalid request", null);
            }

            var answers = root.EnumerateArray().Select(r => AnswerOne(methods, r, session, afterSend)).Where(a => a is not null).ToList();
            if (answers.Count == 0)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>();
            buffer.Write("["u8);
            for (var i = 0; i < answers.Count; i++)
            {
                if (i > 0)
                {
                    buffer.Write(","u8);
                }

                buffer.Write(answers[i]);
            }

            buffer.Write("]"u8);
            return buffer.WrittenSpan.ToArray();
        }
    }

    private static byte[]? AnswerOne(RpcMethods methods, JsonElement request, RpcSession? session, List<Action> afterSend)
    {
        JsonElement? id = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("id", out var idValue) ? idValue : null;
        if (request.ValueKind != JsonValueKind.Object ||
            !request.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0" ||
            !request.TryGetProperty("method", out var methodValue) || methodValue.ValueKind != JsonValueKind.String ||
            id is { ValueKind: not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null) })
        {
            return Error(id, -32600, "Invalid request", null);
        }

        JsonElement? parameters = request.TryGetProperty("params", out var p) ? p : null;
        try
        {
            var outcome = methods.Invoke(methodValue.GetString()!, parameters, session);
            if (id is null)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("jsonrpc", "2.0");
                w.WritePropertyName("result");
                outcome.WriteResult(w);
                w.WritePropertyName("id");
                id.Value.WriteTo(w);
                w.WriteEndObject();
            }

            if (buffer.WrittenCount > MaxMessageBytes)
            {
                return Error(id, -32008, "Response is too big", $"Exceeded max limit of {MaxMessageBytes}");
            }

            if (outcome.AfterSend is { } after)
            {
                afterSend.Add(after);
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (RpcErrorException e)
        {
            return id is null ? null : Error(id, e.Code, e.Message, e.ErrorData);
        }
    }

    private static byte[] Error(JsonElement? id, int code, string message, string? data)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            if (data is not null)
            {
                w.WriteString("data", data);
            }

            w.WriteEndObject();
            w.WritePropertyName("id");
            if (id is { } value)
            {
                value.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void NotifyAll(SubscriptionKind kind, string method, Action<Utf8JsonWriter> writeResult)
    {
        foreach (var (id, sub) in _subscriptions)
        {
            if (sub.Kind == kind)
            {
                Notify(method, id, writeResult);
            }
        }
    }

    private void Notify(string method, string id, Action<Utf8JsonWriter> writeResult)
    {
        if (_chain.SubscriptionsStalled)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("method", method);
            w.WriteStartObject("params");
            w.WriteString("subscription", id);
            w.WritePropertyName("result");
            writeResult(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        _outbox.Writer.TryWrite(buffer.WrittenSpan.ToArray());
    }

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (_socket.State == WebSocketState.Open && !stopping.IsCancellationRequested)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), stopping);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping);
                return;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                _outbox.Writer.TryWrite(Error(null, -32007, "Request is too big", $"Exceeded max limit of {MaxMessageBytes}"));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "request too big", stopping);
                return;
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            var message = buffer.WrittenMemory.ToArray();
            buffer.ResetWrittenCount();
            _ = Task.Run(() => HandleAsync(message, stopping), stopping);
        }
    }

    private async Task HandleAsync(byte[] message, CancellationToken stopping)
    {
        if (_chain.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(_chain.ResponseDelay, stopping);
        }

        var afterSend = new List<Action>();
        var answer = Answer(_methods, message, this, afterSend);
        if (answer is not null)
        {
            _outbox.Writer.TryWrite(answer);
        }

        foreach (var after in afterSend)
        {
            after();
        }
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(stopping))
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, stopping);
        }
    }
}
