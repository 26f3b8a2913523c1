using System.Collections.Concurrent;

namespace Etrid.AiCompute.State;

/// <summary>Live facts about the connection and the follower, for health checks and self-metrics. Thread-safe.</summary>
public sealed class ChainStatus
{
    private readonly ConcurrentDictionary<string, RpcMethodStats> _methods = new(StringComparer.Ordinal);
    private long _drift;
    private long _syncs;
    private long _bestBlock = -1;
    private long _finalizedHeadBlock = -1;
    private long _lastFinalizedTicks;

    /// <summary>True while connected to a node.</summary>
    public bool Connected { get; set; }

    /// <summary>The node in use (credentials removed).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Chain name from <c>system_chain</c>.</summary>
    public string? ChainName { get; set; }

    /// <summary>The last problem that stopped the follower, or null while all is well.</summary>
    public string? LastError { get; set; }

    /// <summary>True when the runtime lacks what the exporter needs.</summary>
    public bool SchemaMismatch { get; set; }

    /// <summary>Best head number seen, or −1.</summary>
    public long BestBlock => Interlocked.Read(ref _bestBlock);

    /// <summary>Newest finalized head announced by the node, or −1.</summary>
    public long FinalizedHeadBlock => Interlocked.Read(ref _finalizedHeadBlock);

    /// <summary>When the newest finalized head arrived, or null.</summary>
    public DateTimeOffset? LastFinalizedAt => Ticks(ref _lastFinalizedTicks);

    /// <summary>Values the periodic verification found different from the incrementally kept state.</summary>
    public long Drift => Interlocked.Read(ref _drift);

    /// <summary>Full syncs done (start-up, reconnects, upgrades, verification passes).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Calls per JSON-RPC method.</summary>
    public IReadOnlyDictionary<string, RpcMethodStats> Methods => _methods;

    public void BestHead(uint number) => Interlocked.Exchange(ref _bestBlock, number);

    public void FinalizedHead(uint number, DateTimeOffset at)
    {
        Interlocked.Exchange(ref _finalizedHeadBlock, number);
        Interlocked.Exchange(ref _lastFinalizedTicks, at.UtcTicks);
    }

    public void AddDrift(long count) => Interlocked.Add(ref _drift, count);

    public void SyncDone() => Interlocked.Increment(ref _syncs);

    public void RecordCall(string method, double seconds, bool failed)
    {
        var stats = _methods.GetOrAdd(method, _ => new RpcMethodStats());
        stats.Record(seconds, failed);
    }

    private static DateTimeOffset? Ticks(ref long ticks)
    {
        var t = Interlocked.Read(ref ticks);
        return t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);
    }
}

/// <summary>Calls, failures and total time of one JSON-RPC method.</summary>
public sealed class RpcMethodStats
{
    private long _calls;
    private long _failures;
    private long _microseconds;

    public long Calls => Interlocked.Read(ref _calls);

    public long Failures => Interlocked.Read(ref _failures);

    public double TotalSeconds => Interlocked.Read(ref _microseconds) / 1e6;

    internal void Record(double seconds, bool failed)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _microseconds, (long)(seconds * 1e6));
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}
