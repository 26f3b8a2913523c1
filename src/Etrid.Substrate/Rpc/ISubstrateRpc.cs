using System.Text.Json;

namespace Etrid.Substrate.Rpc;

/// <summary>The seam to a Substrate node: raw requests and subscriptions. Typed calls are in <see cref="SubstrateRpcExtensions"/>.</summary>
public interface ISubstrateRpc
{
    /// <summary>Sends one request with positional parameters and returns its raw result.</summary>
    /// <exception cref="SubstrateRpcException">The node answered with an error, did not answer in time, or the connection was lost.</exception>
    Task<JsonElement> RequestAsync(string method, object?[] args, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one request and reads its result as <typeparamref name="T"/> straight from the answer (for a type with its own
    /// JSON converter, such as <see cref="StorageValues"/>: no copy of the answer, no string per value).
    /// </summary>
    /// <exception cref="SubstrateRpcException">As <see cref="RequestAsync(string, object?[], CancellationToken)"/>, and when the result is not a <typeparamref name="T"/>.</exception>
    Task<T> RequestAsync<T>(string method, object?[] args, CancellationToken cancellationToken);

    /// <summary>Subscribes; the subscription is renewed on every reconnect until disposed.</summary>
    /// <param name="watchHeads">Whether items are block heads that the watchdog should expect.</param>
    Task<RpcSubscription> SubscribeAsync(string subscribeMethod, string unsubscribeMethod, object?[] args, bool watchHeads, CancellationToken cancellationToken);
}
