namespace Etrid.AiCompute.Snapshots;

/// <summary>A snapshot read through <see cref="IChainSnapshotSource.Read"/>: fresh, or the reason it may not be trusted.</summary>
/// <param name="Snapshot">The latest snapshot, or null before the first sync (present even when stale).</param>
/// <param name="IsFresh">True when the figures may be acted upon.</param>
/// <param name="Reason"><c>ok</c>, or why the figures may not be trusted, in words for an operator.</param>
public sealed record SnapshotReading(ChainSnapshot? Snapshot, bool IsFresh, string Reason)
{
    /// <summary>The snapshot's age at the time of reading, or null without a snapshot.</summary>
    public TimeSpan? Age { get; init; }
}
