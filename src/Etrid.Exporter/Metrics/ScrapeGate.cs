using System.Threading.RateLimiting;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Bounds the scrapes served at once, so that a scrape storm cannot starve the process (and with it the probes):
/// up to <c>max_concurrent_scrapes</c> are served, up to <see cref="DefaultMaxWaiting"/> more wait up to
/// <see cref="DefaultQueueWait"/> for a turn and are then refused, and the rest are refused at once (the endpoint answers
/// 503 with <c>Retry-After</c>). Waiting costs no CPU, so a storm of clients that retry at once is slowed to the pace
/// of the wait rather than spinning on refusals.
/// </summary>
public sealed class ScrapeGate : IDisposable
{
    /// <summary>How long a scrape beyond the limit waits for a turn before it is refused.</summary>
    public static readonly TimeSpan DefaultQueueWait = TimeSpan.FromSeconds(1);

    /// <summary>Scrapes that may wait for a turn at once.</summary>
    public const int DefaultMaxWaiting = 1_000;

    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly TimeSpan _queueWait;

    /// <param name="maxConcurrentScrapes">Scrapes served at once; as many again may wait.</param>
    /// <param name="time">The clock of the wait.</param>
    /// <param name="queueWait">How long a scrape waits for a turn (<see cref="DefaultQueueWait"/>).</param>
    /// <param name="maxWaiting">Scrapes that may wait at once (<see cref="DefaultMaxWaiting"/>).</param>
    public ScrapeGate(int maxConcurrentScrapes, TimeProvider time, TimeSpan? queueWait = null, int maxWaiting = DefaultMaxWaiting)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentScrapes, 1);
        _time = time;
        _queueWait = queueWait ?? DefaultQueueWait;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrentScrapes,
            QueueLimit = maxWaiting,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Scrapes waiting for a turn now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>A turn to serve one scrape (dispose it when done), or a lease that is not acquired when the scrape is refused.</summary>
    public async ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), wait, _queueWait, Timeout.InfiniteTimeSpan);
        try
        {
            return await _limiter.AcquireAsync(1, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    public void Dispose() => _limiter.Dispose();

    // The lease of a scrape that waited its turn in vain.
    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
