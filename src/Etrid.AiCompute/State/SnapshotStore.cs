using Etrid.AiCompute.Snapshots;

namespace Etrid.AiCompute.State;

/// <summary>Holds the latest snapshot; the follower swaps it atomically, everyone else reads it.</summary>
public sealed class SnapshotStore
{
    private ChainSnapshot? _current;

    /// <summary>Raised after each swap, on the follower's thread.</summary>
    public event Action<ChainSnapshot>? Published;

    /// <summary>The latest snapshot, or null before the first sync.</summary>
    public ChainSnapshot? Current => Volatile.Read(ref _current);

    public void Publish(ChainSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Published?.Invoke(snapshot);
    }
}
