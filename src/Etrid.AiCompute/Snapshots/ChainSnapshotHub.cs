using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Etrid.AiCompute.Snapshots;

/// <summary>
/// The implementation of <see cref="IChainSnapshotSource"/>: the follower publishes snapshots and
/// replaces the health record; readers get immutable values. Publishing never waits for a reader:
/// each watcher has a one-slot mailbox whose older content is dropped.
/// </summary>
public sealed class ChainSnapshotHub : IChainSnapshotSource
{
    private readonly TimeProvider _time;
    private readonly Lock _watchersLock = new();
    private readonly List<Channel<ChainSnapshot>> _watchers = [];
    private ChainSnapshot? _current;
    private ChainHealth _health = ChainHealth.Initial;

    public ChainSnapshotHub(TimeSpan stalenessLimit, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stalenessLimit, TimeSpan.Zero);
        StalenessLimit = stalenessLimit;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ChainSnapshot? Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public ChainHealth Health => Volatile.Read(ref _health);

    /// <inheritdoc />
    public TimeSpan StalenessLimit { get; }

    /// <summary>Watchers currently subscribed (for tests and self-metrics).</summary>
    public int WatcherCount
    {
        get
        {
            lock (_watchersLock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Makes <paramref name="snapshot"/> the current one and offers it to every watcher; never blocks.</summary>
    public void Publish(ChainSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, snapshot);
        lock (_watchersLock)
        {
            foreach (var watcher in _watchers)
            {
                // DropOldest with one slot: always succeeds, replacing what the reader has not taken.
                watcher.Writer.TryWrite(snapshot);
            }
        }
    }

    /// <summary>Replaces the health record atomically with what <paramref name="change"/> makes of it.</summary>
    public ChainHealth UpdateHealth(Func<ChainHealth, ChainHealth> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            var before = Volatile.Read(ref _health);
            var after = change(before);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _health, after, before), before))
            {
                return after;
            }
        }
    }

    /// <inheritdoc />
    public SnapshotReading Read(TimeSpan? maxAge = null)
    {
        var limit = maxAge ?? StalenessLimit;
        var now = _time.GetUtcNow();
        var snapshot = Current;
        var health = Health;
        var age = snapshot?.Age(now);
        var reason = Judge(snapshot, health, now, limit);
        return new SnapshotReading(snapshot, reason is null, reason ?? "ok") { Age = age };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChainSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var mailbox = Channel.CreateBounded<ChainSnapshot>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_watchersLock)
        {
            _watchers.Add(mailbox);
            if (Current is { } current)
            {
                mailbox.Writer.TryWrite(current);
            }
        }

        try
        {
            while (true)
            {
                ChainSnapshot next;
                try
                {
                    next = await mailbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            lock (_watchersLock)
            {
                _watchers.Remove(mailbox);
            }
        }
    }

    private static string? Judge(ChainSnapshot? snapshot, ChainHealth health, DateTimeOffset now, TimeSpan limit)
    {
        if (health.SchemaMismatch)
        {
            return "the chain's runtime lacks what the exporter needs: " + health.LastError;
        }

        if (!health.Connected)
        {
            return "not connected to any chain endpoint" + (health.LastError is { } e ? ": " + e : string.Empty);
        }

        if (health.EndpointProblem is { } problem)
        {
            // The figures are kept, but a node that sends nonsense or serves another chain is not acted upon.
            return "endpoint not believed: " + problem;
        }

        if (snapshot is null)
        {
            return "syncing: no figures yet" + (health.LastError is { } e2 ? " (last error: " + e2 + ")" : string.Empty);
        }

        if (health.LastFinalizedAt is not { } last || now - last > limit)
        {
            var since = health.LastFinalizedAt is { } l ? $"{(now - l).TotalSeconds:F0} s" : "never";
            return $"stale: last finalized block announced {since} ago (limit {limit.TotalSeconds:F0} s)" + Lag(health, snapshot);
        }

        var age = snapshot.Age(now);
        if (age > limit)
        {
            return $"stale: figures are {age.TotalSeconds:F0} s old (limit {limit.TotalSeconds:F0} s)" + Lag(health, snapshot) + (health.LastError is { } e3 ? "; last error: " + e3 : string.Empty);
        }

        return null;
    }

    private static string Lag(ChainHealth health, ChainSnapshot snapshot) =>
        health.EndpointLagBlocks > 0 ? $"; endpoint {health.Endpoint} is {health.EndpointLagBlocks} blocks behind the kept state (block {snapshot.BlockNumber})" : string.Empty;
}
