using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.AiCompute.Tests.Snapshots;

public sealed class ChainSnapshotHubTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ChainSnapshotHub _hub;

    public ChainSnapshotHubTests() => _hub = new ChainSnapshotHub(Limit, _time);

    private ChainSnapshot Snapshot(uint block, TimeSpan age = default) => new(block, "0xabc", 1, _time.GetUtcNow() - age, new ChainFigures(
        Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 0L), 0, double.NaN, [], Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 0L), 0, 0, 0));

    private void Healthy(TimeSpan finalizedAgo = default) =>
        _hub.UpdateHealth(h => h with { Connected = true, FinalizedBlock = 10, LastFinalizedAt = _time.GetUtcNow() - finalizedAgo });

    [Fact]
    public void ConnectedFreshAndSynced_IsFresh()
    {
        Healthy(TimeSpan.FromSeconds(5));
        _hub.Publish(Snapshot(10, TimeSpan.FromSeconds(5)));
        var reading = _hub.Read();
        Assert.True(reading.IsFresh);
        Assert.Equal("ok", reading.Reason);
        Assert.Equal(TimeSpan.FromSeconds(5), reading.Age);
    }

    [Fact]
    public void Disconnected_IsNotFresh() =>
        Assert.Contains("not connected", _hub.Read().Reason, StringComparison.Ordinal);

    [Fact]
    public void NoSnapshotYet_IsSyncing()
    {
        Healthy();
        Assert.Contains("syncing", _hub.Read().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoFinalizedBlockForLongerThanTheLimit_IsStale()
    {
        Healthy(TimeSpan.FromSeconds(61));
        _hub.Publish(Snapshot(10));
        Assert.Contains("stale: last finalized block", _hub.Read().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OldFigures_AreStale_AndAStricterMaximumAgeIsHonoured()
    {
        Healthy();
        _hub.Publish(Snapshot(10, TimeSpan.FromSeconds(30)));
        Assert.True(_hub.Read().IsFresh);
        Assert.False(_hub.Read(TimeSpan.FromSeconds(10)).IsFresh);
        _time.Advance(TimeSpan.FromSeconds(31));
        Healthy();
        Assert.Contains("figures are 61 s old", _hub.Read().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaMismatch_IsNotFresh_AndSaysWhy()
    {
        Healthy();
        _hub.Publish(Snapshot(10));
        _hub.UpdateHealth(h => h with { SchemaMismatch = true, LastError = "JobMarketplace.Jobs: storage item not found" });
        Assert.Contains("JobMarketplace.Jobs", _hub.Read().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_StartsWithTheCurrentSnapshot_ThenEachNewOne()
    {
        _hub.Publish(Snapshot(1));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = _hub.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(1u, watch.Current.BlockNumber);
        _hub.Publish(Snapshot(2));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(2u, watch.Current.BlockNumber);
    }

    [Fact]
    public async Task WatchAsync_ASlowReaderSkipsToTheLatest_AndNeverHoldsUpPublishing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _hub.Publish(Snapshot(1));
        await using var watch = _hub.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(1u, watch.Current.BlockNumber);

        // A thousand publications while the reader takes nothing: none waits for it.
        for (uint block = 2; block <= 1000; block++)
        {
            _hub.Publish(Snapshot(block));
        }

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(1000u, watch.Current.BlockNumber);
    }

    [Fact]
    public async Task WatchAsync_EndsOnCancellation_AndUnsubscribes()
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<uint>();
        var reader = Task.Run(async () =>
        {
            await foreach (var s in _hub.WatchAsync(cts.Token))
            {
                seen.Add(s.BlockNumber);
            }
        });
        await Eventually.WaitAsync(() => _hub.WatcherCount == 1, "the watcher to subscribe");
        await cts.CancelAsync();
        await reader;
        Assert.Equal(0, _hub.WatcherCount);
    }

    [Fact]
    public async Task AWatcherThatThrows_DoesNotReachThePublisher()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failing = Task.Run(async () =>
        {
            await foreach (var s in _hub.WatchAsync(cts.Token))
            {
                throw new InvalidOperationException("consumer bug at block " + s.BlockNumber);
            }
        });
        await Eventually.WaitAsync(() => _hub.WatcherCount == 1, "the watcher to subscribe");
        _hub.Publish(Snapshot(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        _hub.Publish(Snapshot(2));
        Assert.Equal(2u, _hub.Current!.BlockNumber);
        Assert.Equal(0, _hub.WatcherCount);
    }
}
