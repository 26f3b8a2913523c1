using System.Diagnostics;
using System.Text.Json;
using Etrid.Substrate.Rpc;

namespace Etrid.AiCompute.Follower;

/// <summary>Counts every call, failure and its duration per method into <see cref="RpcCallStats"/>.</summary>
public sealed class InstrumentedRpc : ISubstrateRpc
{
    private readonly ISubstrateRpc _inner;
    private readonly RpcCallStats _stats;

    public InstrumentedRpc(ISubstrateRpc inner, RpcCallStats stats)
    {
        _inner = inner;
        _stats = stats;
    }

    public Task<JsonElement> RequestAsync(string method, object?[] args, CancellationToken cancellationToken) =>
        RequestAsync<JsonElement>(method, args, cancellationToken);

    public async Task<T> RequestAsync<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await _inner.RequestAsync<T>(method, args, cancellationToken).ConfigureAwait(false);
            failed = false;
            return result;
        }
        finally
        {
            _stats.RecordCall(method, Stopwatch.GetElapsedTime(started).TotalSeconds, failed && !cancellationToken.IsCancellationRequested);
        }
    }

    public Task<RpcSubscription> SubscribeAsync(string subscribeMethod, string unsubscribeMethod, object?[] args, bool watchHeads, CancellationToken cancellationToken) =>
        _inner.SubscribeAsync(subscribeMethod, unsubscribeMethod, args, watchHeads, cancellationToken);
}
