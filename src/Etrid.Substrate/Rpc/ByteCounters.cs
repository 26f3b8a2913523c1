namespace Etrid.Substrate.Rpc;

/// <summary>Bytes sent and received over the RPC connections of one client, for self-metrics and benchmarks.</summary>
public sealed class ByteCounters
{
    private long _sent;
    private long _received;

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    internal void AddSent(long count) => Interlocked.Add(ref _sent, count);

    internal void AddReceived(long count) => Interlocked.Add(ref _received, count);
}
