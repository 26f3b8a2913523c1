using System.Collections.Concurrent;

namespace Etrid.AiCompute.Follower;

/// <summary>Calls, failures and time per JSON-RPC method: the chain reads' self-metrics. Thread-safe.</summary>
public sealed class RpcCallStats
{
    private readonly ConcurrentDictionary<string, RpcMethodStats> _methods = new(StringComparer.Ordinal);

    /// <summary>Calls per JSON-RPC method.</summary>
    public IReadOnlyDictionary<string, RpcMethodStats> Methods => _methods;

    public void RecordCall(string method, double seconds, bool failed)
    {
        var stats = _methods.GetOrAdd(method, _ => new RpcMethodStats());
        stats.Record(seconds, failed);
    }
}
