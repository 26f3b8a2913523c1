using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// A resilient Substrate JSON-RPC client: connects to the first endpoint that answers, fails over to
/// the next, reconnects with exponential backoff and jitter, re-subscribes after every reconnect, and
/// reconnects when head subscriptions fall silent for longer than the watchdog allows.
/// </summary>
public sealed partial class SubstrateClient : ISubstrateRpc, IAsyncDisposable
{
    private readonly SubstrateClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<RpcSubscription> _subscriptions = [];
    private readonly Dictionary<string, RpcSubscription> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonElement>> _early = new(StringComparer.Ordinal);
    private readonly ResiliencePipeline _connectPipeline;
    private readonly LogThrottle _throttle;
    // Per endpoint: until when it is avoided (a timestamp; 0 = not avoided), after it misbehaved or was left.
    private readonly long[] _avoidUntil;
    private TaskCompletionSource<SubstrateConnection> _connected = NewConnectedSource();
    private TaskCompletionSource _dropRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SubstrateConnection? _current;
    private Task? _loop;
    private ITimer? _watchdog;
    private long _lastHeadTimestamp;
    private int _endpointIndex;
    private int _currentIndex = -1;
    private long _reconnects;
    private int _disposed;

    public SubstrateClient(SubstrateClientOptions options, ILogger<SubstrateClient>? logger = null, TimeProvider? timeProvider = null)
    {
        // The rules the configuration is checked with at start-up, not a copy of them.
        var result = new SubstrateClientOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new ArgumentException("invalid Substrate client options: " + result.FailureMessage, nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));
        _avoidUntil = new long[options.Endpoints.Count];
        var random = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        _connectPipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SubstrateRpcException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectBaseDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                Randomizer = random.NextDouble,
                OnRetry = args =>
                {
                    LogConnectFailed(args.Outcome.Exception?.Message ?? "unknown error", args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Raised after each successful connection (the first and every reconnect), once subscriptions are renewed.</summary>
    public event Action<string>? Connected;

    /// <summary>Raised when a connection is lost, with the reason.</summary>
    public event Action<string>? Disconnected;

    /// <summary>
    /// Raised when a node sends what no node should (endpoint, cause in words naming the facts): a reply to a
    /// request id never sent (dropped), a message over <c>max_message_bytes</c> (the connection is dropped).
    /// </summary>
    public event Action<string, string>? Misbehaved;

    /// <summary>Bytes sent and received over every connection of this client.</summary>
    public ByteCounters Bytes { get; } = new();

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _current) is not null;

    /// <summary>The endpoint in use (credentials removed), or null while disconnected.</summary>
    public string? CurrentEndpoint => Volatile.Read(ref _current)?.DisplayName;

    /// <summary>Connections lost since start.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Starts the connection loop and returns at once; calls wait for the first connection.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            _loop = Task.Run(() => RunAsync(_stopping.Token));
            if (_options.WatchdogBlocks > 0)
            {
                var period = TimeSpan.FromTicks(Math.Max(_options.WatchdogTimeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
                _watchdog = _time.CreateTimer(_ => CheckWatchdog(), null, period, period);
            }
        }
    }

    /// <summary>Waits until connected (starting the client if needed).</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Start();
        Task<SubstrateConnection> connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<JsonElement> RequestAsync(string method, object?[] args, CancellationToken cancellationToken) =>
        RequestAsync<JsonElement>(method, args, cancellationToken);

    /// <inheritdoc />
    public async Task<T> RequestAsync<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        var connection = await GetConnectionAsync(method, cancellationToken).ConfigureAwait(false);
        return await connection.InvokeAsync<T>(method, args, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RpcSubscription> SubscribeAsync(string subscribeMethod, string unsubscribeMethod, object?[] args, bool watchHeads, CancellationToken cancellationToken)
    {
        var subscription = new RpcSubscription(this, subscribeMethod, unsubscribeMethod, args, watchHeads, capacity: 4096);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        try
        {
            var connection = await GetConnectionAsync(subscribeMethod, cancellationToken).ConfigureAwait(false);
            await SubscribeOnAsync(connection, subscription, cancellationToken).ConfigureAwait(false);
        }
        catch (SubstrateRpcException e) when (e.IsTransient)
        {
            // The connection dropped meanwhile: the reconnect loop subscribes it on the next connection.
            LogSubscribeDeferred(subscribeMethod, e.Message);
        }
        catch
        {
            lock (_gate)
            {
                _subscriptions.Remove(subscription);
            }

            throw;
        }

        return subscription;
    }

    /// <summary>Drops the current connection; the loop reconnects (to the next endpoint if this one fails).</summary>
    public void ForceReconnect(string reason)
    {
        LogForcedReconnect(reason);
        lock (_gate)
        {
            _dropRequested.TrySetResult();
        }
    }

    /// <summary>
    /// Leaves the endpoint in use for another one, avoiding it for <c>reconnect_max_delay</c>: it is behind, on
    /// another chain or misbehaving (<paramref name="reason"/>). With no other endpoint, stays; returns whether it left.
    /// </summary>
    public bool LeaveEndpoint(string reason)
    {
        lock (_gate)
        {
            if (_current is null || _options.Endpoints.Count < 2 || _currentIndex < 0)
            {
                return false;
            }

            Avoid(_currentIndex);
        }

        ForceReconnect(reason);
        return true;
    }

    internal async ValueTask UnsubscribeAsync(RpcSubscription subscription)
    {
        SubstrateConnection? connection;
        lock (_gate)
        {
            if (!_subscriptions.Remove(subscription))
            {
                return;
            }

            if (subscription.CurrentKey is { } key)
            {
                _byKey.Remove(key);
            }

            connection = _current;
        }

        subscription.Complete();
        if (connection is not null && subscription.CurrentKey is not null)
        {
            try
            {
                await connection.InvokeAsync(subscription.UnsubscribeMethod, [subscription.CurrentId], _options.RequestTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (SubstrateRpcException e)
            {
                LogUnsubscribeFailed(subscription.UnsubscribeMethod, e.Message);
            }
        }
    }

    private async Task<SubstrateConnection> GetConnectionAsync(string method, CancellationToken cancellationToken)
    {
        Start();
        Task<SubstrateConnection> connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        if (connected.IsCompletedSuccessfully)
        {
            return connected.Result;
        }

        try
        {
            return await connected.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new SubstrateRpcException(method, EndpointList(), null, $"not connected to any endpoint within {_options.RequestTimeout}", e);
        }
    }

    private async Task SubscribeOnAsync(SubstrateConnection connection, RpcSubscription subscription, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (subscription.BoundTo == connection)
            {
                return;
            }

            subscription.BoundTo = connection;
        }

        JsonElement id;
        try
        {
            id = await connection.InvokeAsync(subscription.SubscribeMethod, subscription.Args, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                subscription.BoundTo = null;
            }

            throw;
        }

        if (id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            throw new SubstrateRpcException(subscription.SubscribeMethod, connection.DisplayName, null, $"subscription id must be a string or number, got {id.ValueKind}");
        }

        var key = Key(id);
        List<JsonElement>? early;
        lock (_gate)
        {
            if (!_subscriptions.Contains(subscription))
            {
                return;
            }

            subscription.CurrentId = id.Clone();
            subscription.CurrentKey = key;
            _byKey[key] = subscription;
            _early.Remove(key, out early);
        }

        foreach (var item in early ?? [])
        {
            Deliver(subscription, item);
        }
    }

    private void OnNotification(string method, JsonElement subscriptionId, JsonElement result)
    {
        var key = Key(subscriptionId);
        var item = result.Clone();
        RpcSubscription? subscription;
        lock (_gate)
        {
            if (!_byKey.TryGetValue(key, out subscription))
            {
                // The notification overtook the subscribe call's answer; keep a few until the id is known.
                if (_early.Count < 64)
                {
                    if (!_early.TryGetValue(key, out var list))
                    {
                        _early[key] = list = [];
                    }

                    if (list.Count < 256)
                    {
                        list.Add(item);
                    }
                }

                return;
            }
        }

        Deliver(subscription, item);
    }

    private void Deliver(RpcSubscription subscription, JsonElement item)
    {
        if (subscription.WatchHeads)
        {
            Interlocked.Exchange(ref _lastHeadTimestamp, _time.GetTimestamp());
        }

        subscription.Publish(item);
    }

    private void CheckWatchdog()
    {
        bool watching;
        lock (_gate)
        {
            watching = _current is not null && _subscriptions.Any(s => s.WatchHeads && s.CurrentKey is not null);
        }

        if (!watching)
        {
            return;
        }

        var silent = _time.GetElapsedTime(Interlocked.Read(ref _lastHeadTimestamp));
        if (silent > _options.WatchdogTimeout)
        {
            ForceReconnect($"no new head for {silent.TotalSeconds:F1} s (limit {_options.WatchdogTimeout.TotalSeconds:F1} s)");
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            SubstrateConnection connection;
            try
            {
                connection = await _connectPipeline.ExecuteAsync(ConnectNextAsync, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            Task dropRequested;
            lock (_gate)
            {
                _dropRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                dropRequested = _dropRequested.Task;
                _byKey.Clear();
                _early.Clear();
                foreach (var s in _subscriptions)
                {
                    s.CurrentKey = null;
                }
            }

            var reason = await ServeAsync(connection, dropRequested, stopping).ConfigureAwait(false);
            lock (_gate)
            {
                _current = null;
                if (_connected.Task.IsCompleted)
                {
                    _connected = NewConnectedSource();
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _reconnects);
            LogDisconnected(connection.DisplayName, reason);
            Disconnected?.Invoke(reason);
        }
    }

    private async Task<string> ServeAsync(SubstrateConnection connection, Task dropRequested, CancellationToken stopping)
    {
        try
        {
            RpcSubscription[] toRenew;
            lock (_gate)
            {
                toRenew = [.. _subscriptions];
            }

            foreach (var s in toRenew)
            {
                await SubscribeOnAsync(connection, s, stopping).ConfigureAwait(false);
            }
        }
        catch (SubstrateRpcException e)
        {
            return $"re-subscribing failed: {e.Message}";
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return "stopping";
        }

        Interlocked.Exchange(ref _lastHeadTimestamp, _time.GetTimestamp());
        lock (_gate)
        {
            _current = connection;
        }

        // Listeners learn of the new node before any call can reach it (they may check who it is first).
        LogConnected(connection.DisplayName);
        Connected?.Invoke(connection.DisplayName);
        lock (_gate)
        {
            _connected.TrySetResult(connection);
        }
        var ended = await Task.WhenAny(connection.Completion, dropRequested, Task.Delay(Timeout.Infinite, stopping)).ConfigureAwait(false);
        if (ended == dropRequested)
        {
            connection.Abort();
            return "reconnect requested";
        }

        if (ended != connection.Completion)
        {
            return "stopping";
        }

        if (connection.Violation is { } violation)
        {
            // The node's doing: named, reported, and the endpoint avoided for a while (a backoff when it is the only one).
            lock (_gate)
            {
                Avoid(_currentIndex);
            }

            Misbehaved?.Invoke(connection.DisplayName, violation);
            return violation;
        }

        return connection.Completion.IsFaulted ? $"connection lost: {connection.Completion.Exception?.GetBaseException().Message}" : "connection closed";
    }

    private async ValueTask<SubstrateConnection> ConnectNextAsync(CancellationToken cancellationToken)
    {
        var index = await NextEndpointAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = _options.Endpoints[index];
        var connection = await SubstrateConnection.ConnectAsync(endpoint, _options, Bytes, OnNotification, id => OnStrayReply(EndpointDisplay.Redact(endpoint), id), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _currentIndex = index;
        }

        return connection;
    }

    // The next endpoint in turn that is not avoided; when all are, waits for the first to be allowed again.
    private async Task<int> NextEndpointAsync(CancellationToken cancellationToken)
    {
        var count = _options.Endpoints.Count;
        var start = Interlocked.Increment(ref _endpointIndex) - 1;
        var earliest = (Index: start % count, Until: long.MaxValue);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            for (var k = 0; k < count; k++)
            {
                var i = (start + k) % count;
                if (_avoidUntil[i] <= now)
                {
                    return i;
                }

                if (_avoidUntil[i] < earliest.Until)
                {
                    earliest = (i, _avoidUntil[i]);
                }
            }
        }

        var wait = _time.GetElapsedTime(now, earliest.Until);
        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        return earliest.Index;
    }

    // Under _gate.
    private void Avoid(int index)
    {
        if (index >= 0)
        {
            _avoidUntil[index] = _time.GetTimestamp() + (long)(_options.ReconnectMaxDelay.TotalSeconds * _time.TimestampFrequency);
        }
    }

    private void OnStrayReply(string endpoint, string id)
    {
        if (_throttle.ShouldWrite("stray reply", out var suppressed))
        {
            LogStrayReply(endpoint, id, suppressed);
        }

        Misbehaved?.Invoke(endpoint, $"a reply to request id {id}, which was never sent on this connection (dropped)");
    }

    private string EndpointList() => string.Join(", ", _options.Endpoints.Select(EndpointDisplay.Redact));

    private static string Key(JsonElement id) => id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();

    private static TaskCompletionSource<SubstrateConnection> NewConnectedSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
#pragma warning disable CA1031 // Disposal never throws: a connect attempt that failed while stopping is of no interest any more.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogStopFailure(e.GetType().Name, e.Message);
            }
        }

        lock (_gate)
        {
            foreach (var s in _subscriptions)
            {
                s.Complete();
            }

            _subscriptions.Clear();
            _connected.TrySetCanceled();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Connected to {Endpoint}")]
    private partial void LogConnected(string endpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Disconnected from {Endpoint}: {Reason}")]
    private partial void LogDisconnected(string endpoint, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Connecting failed: {Error}; next attempt in {DelayMs:F0} ms")]
    private partial void LogConnectFailed(string error, double delayMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Reconnecting: {Reason}")]
    private partial void LogForcedReconnect(string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "{Method} deferred to the next connection: {Error}")]
    private partial void LogSubscribeDeferred(string method, string error);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "The connection loop ended with {Kind} while stopping: {Error}")]
    private partial void LogStopFailure(string kind, string error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} sent a reply to request id {Id}, which was never sent on this connection; dropped ({Suppressed} more such replies since the last warning)")]
    private partial void LogStrayReply(string endpoint, string id, long suppressed);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Method} failed: {Error}")]
    private partial void LogUnsubscribeFailed(string method, string error);
}
