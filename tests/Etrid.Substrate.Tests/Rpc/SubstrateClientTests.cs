using System.Text.Json;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Storage;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Substrate.Tests.Rpc;

/// <summary>The client against a real JSON-RPC WebSocket server (the dev chain) on loopback.</summary>
public sealed class SubstrateClientTests : IAsyncLifetime
{
    private DevChainHarness _dev = null!;

    public async Task InitializeAsync() => _dev = await DevChainHarness.StartAsync();

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    private SubstrateClient NewClient(TimeProvider? time = null, int watchdogBlocks = 0, int maxMessageBytes = 16 * 1024 * 1024, TimeSpan? requestTimeout = null, params Uri[] endpoints) =>
        new(new SubstrateClientOptions
        {
            Endpoints = endpoints.Length > 0 ? endpoints : [_dev.Url],
            WatchdogBlocks = watchdogBlocks,
            BlockTime = TimeSpan.FromSeconds(1),
            MaxMessageBytes = maxMessageBytes,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            JitterSeed = 1,
        }, timeProvider: time);

    [Fact]
    public async Task TypedCalls_ReturnWhatTheChainHolds()
    {
        await using var client = NewClient();
        var best = _dev.Chain.ProduceBlocks(3);
        var header = await client.GetHeaderAsync(null, default);
        Assert.Equal(best.Number, header!.Number);
        Assert.Equal(best.Hash, await client.GetBlockHashAsync(best.Number, default));
        Assert.Null(await client.GetBlockHashAsync(best.Number + 100, default));
        Assert.Equal(best.Hash, await client.GetFinalizedHeadAsync(default));
        Assert.Equal("AI Compute PBC Development", await client.GetSystemChainAsync(default));
        var properties = await client.GetSystemPropertiesAsync(default);
        Assert.Equal(42, properties.GetProperty("ss58Format").GetInt32());
        var version = await client.GetRuntimeVersionAsync(null, default);
        Assert.Equal(("ai-compute-pbc", 1u), (version.SpecName, version.SpecVersion));
        Assert.True(version.SupportsMetadataAtVersion);
    }

    [Fact]
    public async Task GetLatestMetadata_FallsBackToV14_AndParses()
    {
        await using var client = NewClient();
        var version = await client.GetRuntimeVersionAsync(null, default);
        var metadata = MetadataParser.Parse(await client.GetLatestMetadataAsync(version, null, default));
        Assert.Equal(14, metadata.Version);
        Assert.Equal(["System", "Timestamp", "GpuRegistry", "JobMarketplace"], metadata.Pallets.Select(p => p.Name));
    }

    [Fact]
    public async Task GetKeysPaged_PagesThroughEveryJobKey()
    {
        await using var client = NewClient();
        var prefix = StorageKey.Prefix("JobMarketplace", "Jobs");
        var keys = new List<string>();
        string? start = null;
        while (true)
        {
            var page = await client.GetKeysPagedAsync(prefix, 64, start, null, default);
            keys.AddRange(page);
            if (page.Count < 64)
            {
                break;
            }

            start = page[^1];
        }

        Assert.Equal(_dev.Chain.GroundTruth().Jobs.Count, keys.Count);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        var ids = keys.Select(k => BitConverter.ToUInt64(StorageKey.ExtractKey(Hex.Decode(k), StorageHasher.Blake2_128Concat))).Order();
        Assert.Equal(Enumerable.Range(0, keys.Count).Select(i => (ulong)i), ids);
    }

    [Fact]
    public async Task QueryStorageAt_ReturnsValuesInRequestOrder_WithNullForAbsent()
    {
        await using var client = NewClient();
        var at = _dev.Chain.Best;
        string[] keys =
        [
            Hex.Encode(StorageKey.Prefix("JobMarketplace", "NextJobId")),
            Hex.Encode(StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, BitConverter.GetBytes(999_999UL))),
        ];
        var result = await client.QueryStorageAtAsync(keys, at.Hash, default);
        Assert.Equal(at.Hash, result.Block);
        Assert.Equal(keys, result.Changes.Select(c => c.Key));
        Assert.Equal((ulong)_dev.Chain.GroundTruth().Jobs.Count, BitConverter.ToUInt64(Hex.Decode(result.Changes[0].Value!)));
        Assert.Null(result.Changes[1].Value);
    }

    [Fact]
    public async Task FinalizedHeads_ArriveInOrder()
    {
        await using var client = NewClient();
        await using var heads = await client.SubscribeFinalizedHeadsAsync(default);
        _dev.Chain.ProduceBlocks(5);
        var numbers = new List<uint>();
        while (numbers.Count < 6)
        {
            numbers.Add(BlockHeader.Parse(await heads.Items.ReadAsync()).Number);
        }

        // The first item is the finalized head at subscription time, as nodes send it.
        Assert.Equal([0u, 1, 2, 3, 4, 5], numbers);
    }

    private static async Task<uint> ReadUntilAsync(RpcSubscription heads, uint number)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        uint last;
        do
        {
            last = BlockHeader.Parse(await heads.Items.ReadAsync(cts.Token)).Number;
        }
        while (last < number);
        return last;
    }

    [Fact]
    public async Task StorageSubscription_FirstItemHasEveryKey_ThenOnlyChanges()
    {
        await using var client = NewClient();
        var pending = Hex.Encode(StorageKey.Prefix("JobMarketplace", "PendingJobs"));
        var gpuCount = Hex.Encode(StorageKey.Prefix("GpuRegistry", "ActiveGpuCount"));
        await using var sub = await client.SubscribeStorageAsync([pending, gpuCount], default);
        var first = StorageChangeSet.Parse(await sub.Items.ReadAsync());
        Assert.Equal([pending, gpuCount], first.Changes.Select(c => c.Key));
        _dev.Chain.SetArrivalRate(50);
        _dev.Chain.ProduceBlock();
        var next = StorageChangeSet.Parse(await sub.Items.ReadAsync());
        Assert.Contains(next.Changes, c => c.Key == pending);
    }

    [Fact]
    public async Task UnknownMethod_ErrorNamesMethodCodeAndEndpoint_WithoutCredentials()
    {
        var secretUrl = new UriBuilder(_dev.Url) { UserName = "operator", Password = "hunter2", Query = "apikey=s3cret" }.Uri;
        await using var client = NewClient(endpoints: secretUrl);
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.RequestAsync("author_rotateKeys", [], default));
        Assert.Equal(-32601, e.Code);
        Assert.Contains("author_rotateKeys", e.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysPagedCountAboveMaximum_Gives4002()
    {
        await using var client = NewClient();
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.RequestAsync("state_getKeysPaged", ["0x", 1001], default));
        Assert.Equal(4002, e.Code);
        Assert.Contains("count exceeds maximum value. value: 1001, max: 1000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_NeverThrows_WhateverTheConnectionLoopIsDoing()
    {
        // A node that went away: every connect attempt fails, and disposal lands at every point of the loop.
        for (var i = 0; i < 20; i++)
        {
            var client = NewClient(endpoints: [new Uri("ws://127.0.0.1:1/")]);
            client.Start();
            // Not coordination: a varying pause moves the disposal across the loop's states.
            await Task.Delay(TimeSpan.FromMilliseconds(i));

            var disposing = client.DisposeAsync().AsTask();
            await disposing; // throws on failure
            Assert.True(disposing.IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task FirstEndpointRefuses_FailsOverToTheNext()
    {
        var refusing = new Uri("ws://127.0.0.1:1/");
        await using var client = NewClient(endpoints: [refusing, _dev.Url]);
        Assert.Equal("AI Compute PBC Development", await client.GetSystemChainAsync(default));
        Assert.Equal(EndpointDisplay.Redact(_dev.Url), client.CurrentEndpoint);
    }

    [Fact]
    public async Task NoEndpointAnswers_CallFailsWithinTheRequestTimeout()
    {
        await using var client = NewClient(requestTimeout: TimeSpan.FromMilliseconds(300), endpoints: new Uri("ws://127.0.0.1:1/"));
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.GetSystemChainAsync(default));
        Assert.Contains("not connected", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task DroppedConnection_ReconnectsAndSubscriptionsContinue()
    {
        await using var client = NewClient();
        var connections = 0;
        client.Connected += _ => Interlocked.Increment(ref connections);
        await using var heads = await client.SubscribeNewHeadsAsync(default);
        await Eventually.WaitAsync(() => Volatile.Read(ref connections) == 1, "first connection");
        _dev.Chain.DropConnections();
        await Eventually.WaitAsync(() => Volatile.Read(ref connections) == 2, "reconnection");
        Assert.Equal(1, client.Reconnects);
        var best = _dev.Chain.ProduceBlock().Number;
        Assert.Equal(best, await ReadUntilAsync(heads, best));
    }

    [Fact]
    public async Task SilentSubscription_WatchdogReconnects()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var client = NewClient(time, watchdogBlocks: 3);
        var connections = 0;
        client.Connected += _ => Interlocked.Increment(ref connections);
        await using var heads = await client.SubscribeFinalizedHeadsAsync(default);
        await Eventually.WaitAsync(() => Volatile.Read(ref connections) == 1, "first connection");
        _dev.Chain.SubscriptionsStalled = true;
        _dev.Chain.ProduceBlock();
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, client.Reconnects);
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.WaitAsync(() => client.Reconnects == 1, "watchdog reconnect");
        _dev.Chain.SubscriptionsStalled = false;
        await Eventually.WaitAsync(() => Volatile.Read(ref connections) == 2, "reconnection");
        var best = _dev.Chain.ProduceBlock().Number;
        Assert.Equal(best, await ReadUntilAsync(heads, best));
    }

    [Fact]
    public async Task MessageAboveTheLimit_DropsTheConnectionWithAnErrorNamingTheMethod()
    {
        await using var client = NewClient(maxMessageBytes: 64 * 1024);
        var prefix = StorageKey.Prefix("JobMarketplace", "Jobs");
        var keys = await client.GetKeysPagedAsync(prefix, 1000, null, null, default);
        Assert.True(keys.Count >= 200);
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.QueryStorageAtAsync(keys, null, default));
        Assert.Equal("state_queryStorageAt", e.Method);
        Assert.Null(e.Code);
    }

    [Fact]
    public async Task SlowNode_CallTimesOutWithTheMethodName()
    {
        await using var client = NewClient(requestTimeout: TimeSpan.FromMilliseconds(200));
        await client.WaitConnectedAsync(default);
        _dev.Chain.ResponseDelay = TimeSpan.FromSeconds(5);
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.GetSystemChainAsync(default));
        Assert.Contains("system_chain", e.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        await using var client = NewClient();
        await client.WaitConnectedAsync(default);
        _dev.Chain.ResponseDelay = TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource();
        var call = client.GetSystemChainAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void Options_Invalid_ListsEveryProblemWithItsKey()
    {
        var problems = new SubstrateClientOptionsValidator().Validate(null, new SubstrateClientOptions { Endpoints = [new Uri("ftp://x/")], RequestTimeout = TimeSpan.Zero, MaxMessageBytes = 1 }).Failures!;
        Assert.Contains(problems, p => p.StartsWith("Endpoints[0]: 'ftp://x' must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RequestTimeout:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxMessageBytes:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10_000, 3_600, false)] // 10,000 h: past what a timer can wait, once a stack trace from serve
    [InlineData(24, 3_600, true)]
    [InlineData(25, 3_600, false)]
    [InlineData(10_000, 6, true)]
    [InlineData(0, 3_600, true)]
    public void Options_WatchdogLimit_IsAtMostADay(int blocks, int blockSeconds, bool valid)
    {
        var options = new SubstrateClientOptions { Endpoints = [new Uri("ws://node:9944")], WatchdogBlocks = blocks, BlockTime = TimeSpan.FromSeconds(blockSeconds) };
        var result = new SubstrateClientOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith($"WatchdogBlocks: {blocks} block times of {blockSeconds}s is {blocks * blockSeconds}s; the watchdog's limit must be at most 24h", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RuntimeVersion_ApisAsObject_AreAccepted()
    {
        using var doc = JsonDocument.Parse("""{"specName":"x","implName":"x","specVersion":7,"implVersion":1,"transactionVersion":1,"stateVersion":1,"apis":{"0x37e397fc7c91f5e4":2}}""");
        var version = RuntimeVersion.Parse(doc.RootElement);
        Assert.Equal(7u, version.SpecVersion);
        Assert.True(version.SupportsMetadataAtVersion);
    }
}
