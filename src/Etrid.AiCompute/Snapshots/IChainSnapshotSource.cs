namespace Etrid.AiCompute.Snapshots;

/// <summary>
/// The one seam between the chain follower and everything that uses its figures (metrics, the
/// external metrics API, the KEDA scaler, the burst controller, the status page). Consumers read
/// through it only; none of them calls the chain or keeps its own idea of the chain's health.
/// </summary>
public interface IChainSnapshotSource
{
    /// <summary>The latest snapshot, or null before the first sync.</summary>
    ChainSnapshot? Current { get; }

    /// <summary>Connection and chain health as the follower last saw it.</summary>
    ChainHealth Health { get; }

    /// <summary>The staleness limit used when <see cref="Read"/> is given no maximum age.</summary>
    TimeSpan StalenessLimit { get; }

    /// <summary>
    /// The latest snapshot with a verdict: fresh, or why not (not connected, syncing, the runtime
    /// lacks what is needed, no finalized head within <paramref name="maxAge"/>, figures too old).
    /// The only place freshness is decided.
    /// </summary>
    SnapshotReading Read(TimeSpan? maxAge = null);

    /// <summary>
    /// The current snapshot (if any), then each new one. Latest wins per subscriber: a slow reader
    /// skips snapshots it had no time for and never holds up the follower. Ends when cancelled.
    /// </summary>
    IAsyncEnumerable<ChainSnapshot> WatchAsync(CancellationToken cancellationToken = default);
}
