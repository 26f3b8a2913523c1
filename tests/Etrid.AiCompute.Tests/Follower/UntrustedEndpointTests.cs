using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace Etrid.AiCompute.Tests.Follower;

/// <summary>
/// Nodes that are behind, on another chain, or sending nonsense, over real WebSockets: the kept figures
/// never go backwards, another chain is never followed, and nonsense is neither believed nor logged
/// without bound. Several nodes are dev chains with the same seed and the same blocks (one chain).
/// </summary>
public sealed class UntrustedEndpointTests : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ReferenceFigures _reference = new();
    private readonly List<DevChainHarness> _nodes = [];
    private SubstrateClient _client = null!;
    private ChainFollower _follower = null!;
    private Task _running = Task.CompletedTask;

    private ChainSnapshotHub Store { get; } = new(TimeSpan.FromMinutes(1));

    private CapturingLogger<ChainFollower> FollowerLog { get; } = new();

    private CapturingLogger<SubstrateClient> ClientLog { get; } = new();

    // The follower's clock: the unhealthy hold (50 blocks of 200 ms) is jumped over rather than waited out.
    private readonly JumpingClock _clock = new();

    private DevChainHarness First => _nodes[0];

    /// <param name="beforeConnecting">Prepares the nodes and returns the genesis hash to configure (null: learned).</param>
    private async Task StartAsync(int nodes = 1, int maxMessageBytes = 16 * 1024 * 1024, Func<IReadOnlyList<DevChainHarness>, string?>? beforeConnecting = null)
    {
        for (var i = 0; i < nodes; i++)
        {
            _nodes.Add(await DevChainHarness.StartAsync(jobs: 300, gpus: 24, finalityLag: 0, arrivalRate: 3));
        }

        var genesisHash = beforeConnecting?.Invoke(_nodes);
        _client = new SubstrateClient(
            new SubstrateClientOptions
            {
                Endpoints = [.. _nodes.Select(n => n.Url)],
                WatchdogBlocks = 0,
                BlockTime = TimeSpan.FromMilliseconds(200),
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
                MaxMessageBytes = maxMessageBytes,
                JitterSeed = 1,
            },
            ClientLog);
        _follower = new ChainFollower(
            _client,
            new FollowerOptions
            {
                RetryDelay = TimeSpan.FromMilliseconds(50),
                MaxRetryDelay = TimeSpan.FromMilliseconds(200),
                BlockTime = TimeSpan.FromMilliseconds(200),
                GenesisHash = genesisHash,
                // Long enough that a test sees the verdict before the endpoint is believed again.
                UnhealthyHoldBlocks = 50,
            },
            Store,
            FollowerLog,
            _clock,
            jitterSeed: 1);
        _follower.AttachTo(_client);
        _reference.Observe(First.Chain);
        _running = Task.Run(() => _follower.RunAsync(_stop.Token));
        await Eventually.WaitAsync(() => Store.Current is not null, $"the first snapshot (last error: {Store.Health.LastError})");
    }

    /// <summary>Produces blocks on every node (one chain, several nodes).</summary>
    private void Produce(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            foreach (var node in _nodes)
            {
                node.Chain.ProduceBlock();
            }

            _reference.Observe(First.Chain);
        }
    }

    private async Task ProduceAndCatchUpAsync(int blocks)
    {
        Produce(blocks);
        var best = First.Chain.Best.Number;
        await Eventually.WaitAsync(() => Store.Current?.BlockNumber == best, $"the snapshot of block {best} (at {Store.Current?.BlockNumber}; last error: {Store.Health.LastError}; problem: {Store.Health.EndpointProblem})");
    }

    private Dictionary<string, long> Completed() => Store.Current!.Figures.Providers.ToDictionary(p => p.Address, p => p.JobsCompleted);

    private void AssertNoCounterFell(Dictionary<string, long> before)
    {
        foreach (var (provider, completed) in Completed())
        {
            Assert.True(completed >= before.GetValueOrDefault(provider), $"{provider} went from {before.GetValueOrDefault(provider)} to {completed} completed jobs");
        }
    }

    private void AssertFiguresMatchGroundTruth()
    {
        var snapshot = Store.Current!;
        Assert.Equal(First.Chain.Best.Hash, snapshot.BlockHash);
        var expected = _reference.Compute(First.Chain);
        foreach (var p in snapshot.Figures.Providers)
        {
            Assert.Equal(expected.Providers[p.Address].Completed, p.JobsCompleted);
        }
    }

    // Issue item 4: a node that restarted behind the kept state is lagging, not authoritative.
    [Fact]
    public async Task ANodeThatComesBackBehind_KeepsTheFigures_ShowsItsLag_AndIsFollowedOnceCaughtUp()
    {
        await StartAsync();
        await ProduceAndCatchUpAsync(30);
        var before = Completed();

        First.Chain.ServedLag = 20;
        First.Chain.DropConnections();
        await Eventually.WaitAsync(() => Store.Health.Reconnects >= 1 && (Store.Health.EndpointLagBlocks > 0 || Store.Health.FullSyncs >= 2), "the reconnect to the node that is behind");
        Produce(2);
        await Eventually.WaitAsync(() => Store.Health.EndpointLagBlocks == 18 || Store.Current!.BlockNumber != 30, $"the lag to follow the node's heads (lag {Store.Health.EndpointLagBlocks})");

        Assert.Equal(30u, Store.Current!.BlockNumber);
        AssertNoCounterFell(before);
        Assert.Equal(30u, Store.Health.FinalizedBlock);
        Assert.Equal(18, Store.Health.EndpointLagBlocks);
        Assert.DoesNotContain(FollowerLog.Lines, l => l.Text.Contains("Synced at block 12", StringComparison.Ordinal));

        // The node catches up: the follower goes on from the kept state.
        First.Chain.ServedLag = 0;
        await ProduceAndCatchUpAsync(3);
        AssertFiguresMatchGroundTruth();
        Assert.Equal(0, Store.Health.EndpointLagBlocks);
    }

    // Issue item 4, with a choice: a current endpoint is preferred to one that is behind.
    [Fact]
    public async Task AnEndpointThatIsBehind_IsLeftForOneThatIsCurrent()
    {
        await StartAsync(nodes: 2);
        await ProduceAndCatchUpAsync(30);
        var before = Completed();
        var lowest = uint.MaxValue;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            await foreach (var s in Store.WatchAsync(watching.Token))
            {
                lowest = Math.Min(lowest, s.BlockNumber);
            }
        });

        // The second node restarted behind; losing the first, the client lands on it.
        _nodes[1].Chain.ServedLag = 20;
        First.Chain.DropConnections();
        await Eventually.WaitAsync(() => _client.Reconnects >= 1, "the failover");
        Produce(2);
        await Eventually.WaitAsync(() => Store.Current!.BlockNumber == 32 || (lowest < 30 && Store.Current!.BlockNumber != 30), $"the figures to move on (at {Store.Current!.BlockNumber}, endpoint {_client.CurrentEndpoint})");
        await ProduceAndCatchUpAsync(2);
        await watching.CancelAsync();
        await watcher;

        Assert.True(lowest >= 30, $"the figures went back to block {lowest}");
        AssertNoCounterFell(before);
        Assert.Equal(First.Url.Authority, new Uri(_client.CurrentEndpoint!).Authority);
        Assert.Equal(0, Store.Health.EndpointLagBlocks);
        AssertFiguresMatchGroundTruth();
    }

    // Issue item 5: after a reconnect the only endpoint answers another genesis.
    [Fact]
    public async Task AnEndpointOnAnotherChain_IsRefused_NotReady_AndTheLastFiguresKept()
    {
        await StartAsync();
        await ProduceAndCatchUpAsync(5);
        var genesis = First.Chain.GetBlock(0)!.Hash;
        var other = "0x" + new string('e', 64);

        First.Chain.AnnouncedGenesisHash = other;
        First.Chain.DropConnections();
        await Eventually.WaitAsync(() => Store.Health.Reconnects >= 1, "the reconnect");
        Produce(3);
        await Eventually.WaitAsync(() => !Store.Read().IsFresh || Store.Current!.BlockNumber == 8, "the follower to decide");

        var reading = Store.Read();
        Assert.False(reading.IsFresh);
        Assert.Contains("genesis", reading.Reason, StringComparison.Ordinal);
        Assert.Contains(other, reading.Reason, StringComparison.Ordinal);
        Assert.Contains(genesis, reading.Reason, StringComparison.Ordinal);
        Assert.Equal(5u, Store.Current!.BlockNumber);
        Assert.Equal(genesis, Store.Health.GenesisHash);

        // The endpoint is the right chain again after its next restart: followed, ready.
        First.Chain.AnnouncedGenesisHash = null;
        First.Chain.DropConnections();
        await Eventually.WaitAsync(() => Store.Health.Reconnects >= 2, "the second reconnect");
        await ProduceAndCatchUpAsync(2);
        await Eventually.WaitAsync(() => Store.Read().IsFresh, $"readiness (reason: {Store.Read().Reason})");
        AssertFiguresMatchGroundTruth();
    }

    // Issue item 5: a configured genesis; the first endpoint serves another chain and is skipped.
    [Fact]
    public async Task WithTheGenesisConfigured_AnEndpointOnAnotherChain_IsSkippedWithTheReason()
    {
        var genesis = string.Empty;
        await StartAsync(nodes: 2, beforeConnecting: nodes =>
        {
            genesis = nodes[0].Chain.GetBlock(0)!.Hash;
            nodes[0].Chain.AnnouncedGenesisHash = "0x" + new string('e', 64);
            return genesis;
        });

        await ProduceAndCatchUpAsync(3);
        Assert.Equal(_nodes[1].Url.Authority, new Uri(_client.CurrentEndpoint!).Authority);
        Assert.Contains(FollowerLog.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("genesis", StringComparison.Ordinal) && l.Text.Contains(First.Url.Authority, StringComparison.Ordinal));
        Assert.Equal(genesis, Store.Health.GenesisHash);
        AssertFiguresMatchGroundTruth();
    }

    // Issue item 6: a flood of implausible heads and runtime versions is not believed, and logged boundedly.
    [Fact]
    public async Task AFloodOfImplausibleHeadsAndVersions_IsNotBelieved_AndLoggedBoundedly()
    {
        await StartAsync();
        await ProduceAndCatchUpAsync(5);
        var syncs = Store.Health.FullSyncs;

        First.Chain.Flood(3000, 1_454_914, 0);
        Produce(1);
        await Eventually.WaitAsync(() => Store.Health.EndpointProblem is not null || Store.Health.FinalizedBlock > 1000 || Store.Health.FullSyncs > syncs, "the flood to be noticed");
        await ProduceAndCatchUpAsync(2);

        Assert.True(Store.Health.FinalizedBlock <= First.Chain.Best.Number, $"finalized block {Store.Health.FinalizedBlock} beyond the chain's {First.Chain.Best.Number}");
        Assert.True(Store.Health.BestBlock <= First.Chain.Best.Number, $"best block {Store.Health.BestBlock} beyond the chain's {First.Chain.Best.Number}");
        Assert.Equal(syncs, Store.Health.FullSyncs);
        var reading = Store.Read();
        Assert.False(reading.IsFresh);
        Assert.Contains("implausible", reading.Reason, StringComparison.Ordinal);
        Assert.Contains("1454914", reading.Reason, StringComparison.Ordinal);
        Assert.InRange(FollowerLog.Lines.Count(l => l.Level >= LogLevel.Information), 0, 10);
        Assert.True(FollowerLog.Characters < 20_000, $"{FollowerLog.Characters} characters logged");
        AssertFiguresMatchGroundTruth();

        // Quiet again for the whole hold: believed again.
        _clock.Jump(TimeSpan.FromMilliseconds(200) * 50);
        await Eventually.WaitAsync(() => { Produce(1); return Store.Read().IsFresh; }, $"readiness once the node is quiet (reason: {Store.Read().Reason})");
    }

    // Issue item 6: replies to ids never sent are dropped and named, without reconnects or full syncs.
    [Fact]
    public async Task StrayReplies_AreDroppedAndNamed_WithoutReconnects()
    {
        await StartAsync();
        await ProduceAndCatchUpAsync(3);
        var syncs = Store.Health.FullSyncs;

        First.Chain.SendStrayReplies(20);
        Produce(1);
        await Eventually.WaitAsync(() => Store.Health.EndpointProblem is not null || _client.Reconnects > 0, "the stray replies to be noticed");
        await ProduceAndCatchUpAsync(2);

        Assert.Equal(0, _client.Reconnects);
        Assert.Equal(syncs, Store.Health.FullSyncs);
        Assert.Contains("reply", Store.Health.EndpointProblem, StringComparison.Ordinal);
        Assert.Contains("900000000", Store.Health.EndpointProblem, StringComparison.Ordinal);
        Assert.InRange(ClientLog.Lines.Count(l => l.Level >= LogLevel.Warning) + FollowerLog.Lines.Count(l => l.Level >= LogLevel.Warning), 1, 3);
        AssertFiguresMatchGroundTruth();
    }

    // Issue item 6: an oversized frame is named with its size and the limit, not "connection lost".
    [Fact]
    public async Task AnOversizedMessage_IsNamedWithItsSizeAndTheLimit()
    {
        await StartAsync(maxMessageBytes: 1 << 20);
        await ProduceAndCatchUpAsync(2);

        First.Chain.SendOversizedMessage(3 << 20);
        await Eventually.WaitAsync(() => _client.Reconnects >= 1, "the connection to be dropped");
        await Eventually.WaitAsync(() => Store.Health.EndpointProblem is not null, $"the cause to be named (last error: {Store.Health.LastError})");

        Assert.Contains("max_message_bytes", Store.Health.EndpointProblem, StringComparison.Ordinal);
        Assert.Contains("1048576", Store.Health.EndpointProblem, StringComparison.Ordinal);
        Assert.Contains(ClientLog.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("max_message_bytes", StringComparison.Ordinal));
        await ProduceAndCatchUpAsync(2);
        AssertFiguresMatchGroundTruth();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _stop.Dispose();
    }
}
