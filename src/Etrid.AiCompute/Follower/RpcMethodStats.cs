namespace Etrid.AiCompute.Follower;

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
