using System.Text.Json;
using System.Threading.Channels;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// A subscription that survives reconnects: the client subscribes again on every new connection and
/// keeps feeding <see cref="Items"/>. Items are triggers and facts about the chain; after a reconnect
/// some may be missing, so readers fill gaps themselves (see <see cref="SubstrateClient.Connected"/>).
/// </summary>
public sealed class RpcSubscription : IAsyncDisposable
{
    private readonly Channel<JsonElement> _channel;
    private readonly SubstrateClient _client;

    internal RpcSubscription(SubstrateClient client, string subscribeMethod, string unsubscribeMethod, object?[] args, bool watchHeads, int capacity)
    {
        _client = client;
        SubscribeMethod = subscribeMethod;
        UnsubscribeMethod = unsubscribeMethod;
        Args = args;
        WatchHeads = watchHeads;
        _channel = Channel.CreateBounded<JsonElement>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>The notification results, oldest first. Completes when the subscription is disposed.</summary>
    public ChannelReader<JsonElement> Items => _channel.Reader;

    public string SubscribeMethod { get; }

    public string UnsubscribeMethod { get; }

    internal object?[] Args { get; }

    /// <summary>Whether items count as heads for the client's watchdog.</summary>
    internal bool WatchHeads { get; }

    /// <summary>The node's id for this subscription on the current connection.</summary>
    internal string? CurrentKey { get; set; }

    internal JsonElement CurrentId { get; set; }

    /// <summary>The connection this subscription is (being) made on, so it is made once per connection.</summary>
    internal object? BoundTo { get; set; }

    internal void Publish(JsonElement item) => _channel.Writer.TryWrite(item);

    internal void Complete() => _channel.Writer.TryComplete();

    public ValueTask DisposeAsync() => _client.UnsubscribeAsync(this);
}
