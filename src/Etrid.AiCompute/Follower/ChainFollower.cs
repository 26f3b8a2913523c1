using System.Text.Json;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Scale;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// Follows the chain block by block: a full sync at a pinned block (keys paged, values fetched in
/// parallel batches), then for each new head the block's events, and a re-read of only the jobs and
/// GPUs they touch. Skipped heads are filled in; reconnects, runtime upgrades and decode failures
/// lead to a new full sync. Each processed block publishes one immutable snapshot to the
/// <see cref="ChainSnapshotHub"/>, which also holds the only record of the chain's health.
/// Any failure in the loop is logged, counted and retried with backoff; the loop ends only when cancelled.
/// </summary>
public sealed partial class ChainFollower
{
    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;
    private readonly ChainSnapshotHub _hub;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private AiComputeSchema? _schema;
    private uint _specVersion;
    private ushort _ss58 = 42;
    private int _decimals = 18;
    private bool _propertiesRead;
    private ProviderDirectory? _directory;
    private AiComputeState? _state;
    private uint _last;
    private string? _lastHash;
    private volatile bool _resync = true;
    private long _lastVerifyTimestamp;
    private int _connections;
    private HeadSubscriptions? _subscriptions;

    public ChainFollower(ISubstrateRpc rpc, FollowerOptions options, ChainSnapshotHub hub, ILogger<ChainFollower>? logger = null, TimeProvider? timeProvider = null, int? jitterSeed = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid follower options: " + string.Join("; ", problems), nameof(options));
        }

        _rpc = rpc;
        _options = options;
        _hub = hub;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        var random = jitterSeed is { } seed ? new Random(seed) : new Random();
        _retry = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                MaxRetryAttempts = int.MaxValue,
                Randomizer = random.NextDouble,
                OnRetry = args =>
                {
                    OnFailure(args.Outcome.Exception!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Asks for a full sync before the next block (after a reconnect, say).</summary>
    public void RequestResync(string reason)
    {
        LogResyncRequested(reason);
        _resync = true;
    }

    /// <summary>The chain client connected to <paramref name="endpoint"/> (the first time, or again).</summary>
    public void OnConnected(string endpoint)
    {
        var again = Interlocked.Increment(ref _connections) > 1;
        _hub.UpdateHealth(h => h with { Connected = true, Endpoint = endpoint, Reconnects = h.Reconnects + (again ? 1 : 0) });
        if (again)
        {
            // Anything may have happened while away: read the state afresh.
            RequestResync($"reconnected to {endpoint}");
        }
    }

    /// <summary>The chain client lost its connection.</summary>
    public void OnDisconnected(string reason) => _hub.UpdateHealth(h => h with { Connected = false, LastError = h.LastError ?? reason });

    /// <summary>Runs until cancelled; every failure is logged, recorded in the health and retried with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _retry.ExecuteAsync(StepAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await CloseSubscriptionsAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask StepAsync(CancellationToken cancellationToken)
    {
        try
        {
            _subscriptions ??= await HeadSubscriptions.OpenAsync(_rpc, _options.Finality, LogVersionsRefused, cancellationToken).ConfigureAwait(false);
            DrainRuntimeVersions(_subscriptions);
            DrainBestHeads(_subscriptions);
            if (_resync)
            {
                await FullSyncAsync(atHash: null, compare: false, cancellationToken).ConfigureAwait(false);
            }
            else if (VerificationDue())
            {
                await FullSyncAsync(atHash: _lastHash, compare: true, cancellationToken).ConfigureAwait(false);
            }

            var header = await NextHeadAsync(_subscriptions.Driving, cancellationToken).ConfigureAwait(false);
            if (header is not null)
            {
                var at = _time.GetUtcNow();
                _hub.UpdateHealth(h => h with
                {
                    FinalizedBlock = header.Number,
                    LastFinalizedAt = at,
                    BestBlock = _options.Finality == FinalityMode.Best ? header.Number : h.BestBlock,
                });
                await FollowToAsync(header.Number, cancellationToken).ConfigureAwait(false);
            }

            if (_hub.Health.LastError is not null && _hub.Health.Connected)
            {
                _hub.UpdateHealth(h => h with { LastError = null });
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The next attempt starts from a clean slate: fresh subscriptions and a full sync.
            _resync = true;
            await CloseSubscriptionsAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void OnFailure(Exception e, TimeSpan delay)
    {
        // Logged first: whoever sees the health change finds the log line already written.
        if (IsChainProblem(e))
        {
            LogFailed(e.GetType().Name, e.Message, delay.TotalSeconds);
        }
        else
        {
            LogUnexpected(e, delay.TotalSeconds);
        }

        _hub.UpdateHealth(h => h with
        {
            LastError = e.Message,
            SchemaMismatch = e is SchemaException,
            LoopFailures = h.LoopFailures + 1,
        });
    }

    private async Task CloseSubscriptionsAsync()
    {
        if (_subscriptions is { } open)
        {
            _subscriptions = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the state at the current head from scratch and publishes it (used by <c>inspect</c> too).</summary>
    public async Task<ChainSnapshot> SyncOnceAsync(CancellationToken cancellationToken)
    {
        await FullSyncAsync(atHash: null, compare: false, cancellationToken).ConfigureAwait(false);
        return _hub.Current!;
    }

    private static bool IsChainProblem(Exception e) =>
        e is SubstrateRpcException or ScaleDecodeException or MetadataException or SchemaException or ChainDataException or JobLimitException or FormatException or JsonException;

    private void DrainRuntimeVersions(HeadSubscriptions subscriptions)
    {
        if (subscriptions.Versions is not { } versions)
        {
            return;
        }

        while (versions.Items.TryRead(out var item))
        {
            var version = RuntimeVersion.Parse(item);
            if (_schema is not null && version.SpecVersion != _specVersion)
            {
                RequestResync($"runtime upgraded from spec version {_specVersion} to {version.SpecVersion}");
            }
        }
    }

    private void DrainBestHeads(HeadSubscriptions subscriptions)
    {
        if (ReferenceEquals(subscriptions.Best, subscriptions.Driving))
        {
            return;
        }

        uint? newest = null;
        while (subscriptions.Best.Items.TryRead(out var item))
        {
            newest = BlockHeader.Parse(item).Number;
        }

        if (newest is { } n)
        {
            _hub.UpdateHealth(h => h with { BestBlock = n });
        }
    }

    private async Task<BlockHeader?> NextHeadAsync(RpcSubscription driving, CancellationToken cancellationToken)
    {
        if (driving.Items.TryRead(out var ready))
        {
            return BlockHeader.Parse(ready);
        }

        // Wake up at least every second to take in best heads, resync requests and verification.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            if (await driving.Items.WaitToReadAsync(wait.Token).ConfigureAwait(false) && driving.Items.TryRead(out var item))
            {
                return BlockHeader.Parse(item);
            }

            throw new SubstrateRpcException("chain_subscribeFinalizedHeads", "node", null, "the head subscription ended");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task FollowToAsync(uint head, CancellationToken cancellationToken)
    {
        if (_resync || _state is null || head <= _last)
        {
            return;
        }

        if (head - _last > (uint)_options.MaxGapBlocks)
        {
            RequestResync($"{head - _last} blocks behind (more than {_options.MaxGapBlocks})");
            return;
        }

        // One notification can stand for several blocks: take them in order.
        for (var n = _last + 1; n <= head; n++)
        {
            await ProcessBlockAsync(n, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessBlockAsync(uint number, CancellationToken cancellationToken)
    {
        var schema = _schema!;
        var state = _state!;
        var hash = await _rpc.GetBlockHashAsync(number, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getBlockHash", "node", null, $"block {number} is unknown");
        if (_subscriptions?.Versions is null)
        {
            // Without the runtime-version subscription, each block's version is read instead.
            var version = await _rpc.GetRuntimeVersionAsync(hash, cancellationToken).ConfigureAwait(false);
            if (version.SpecVersion != _specVersion)
            {
                RequestResync($"runtime upgraded from spec version {_specVersion} to {version.SpecVersion}");
                return;
            }
        }

        string[] keys = [schema.Events.ValueKey, schema.NextJobId.ValueKey, schema.PendingJobs.ValueKey];
        var values = (await _rpc.QueryStorageAtAsync(keys, hash, cancellationToken).ConfigureAwait(false)).Changes;
        var events = schema.DecodeEvents(Value(values, 0));
        var nextJobId = schema.DecodeCounter(schema.NextJobId, Value(values, 1));

        var jobIds = new SortedSet<ulong>();
        var gpuIds = new SortedSet<ulong>();
        CheckNextJobId(nextJobId, state, number);
        for (var id = state.NextExpectedJobId; id < nextJobId; id++)
        {
            jobIds.Add(id);
        }

        foreach (var e in events)
        {
            if (e.Pallet == "JobMarketplace" && e.JobId is { } j)
            {
                jobIds.Add(j);
            }
            else if (e.Pallet == "GpuRegistry" && e.GpuId is { } g)
            {
                gpuIds.Add(g);
                if (e.Provider is { } provider)
                {
                    state.Directory.Remember(g, provider);
                }
            }
        }

        var touched = jobIds.Select(id => AiComputeSchema.KeyForId(schema.Jobs, id))
            .Concat(gpuIds.Select(id => AiComputeSchema.KeyForId(schema.GpuNodes, id)))
            .ToList();
        var changes = await ReadAsync(touched, hash, cancellationToken).ConfigureAwait(false);
        var i = 0;
        foreach (var id in jobIds)
        {
            var bytes = Value(changes, i++);
            state.SetJob(id, bytes is null ? null : schema.JobCodec.Decode(id, bytes));
        }

        foreach (var id in gpuIds)
        {
            var bytes = Value(changes, i++);
            state.SetGpu(id, bytes is null ? null : schema.GpuCodec.Decode(id, bytes));
        }

        foreach (var e in events)
        {
            if (e is { Name: "JobAssigned", JobId: { } assigned })
            {
                state.RecordAssignment(PalletTime(number), assigned);
            }
        }

        state.PendingList = schema.DecodeIdList(schema.PendingJobs, Value(values, 2));
        _last = number;
        _lastHash = hash;
        Publish(number, hash);
    }

    /// <summary>Reads the whole state at <paramref name="atHash"/> (null: the current head); with <paramref name="compare"/>, counts what differs from the kept state at the same block.</summary>
    private async Task FullSyncAsync(string? atHash, bool compare, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var hash = atHash ?? (_options.Finality == FinalityMode.Finalized
            ? await _rpc.GetFinalizedHeadAsync(cancellationToken).ConfigureAwait(false)
            : await _rpc.GetBlockHashAsync(null, cancellationToken).ConfigureAwait(false) ?? throw new SubstrateRpcException("chain_getBlockHash", "node", null, "no best block"));
        var header = await _rpc.GetHeaderAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getHeader", "node", null, $"header of {hash} not found");
        var version = await _rpc.GetRuntimeVersionAsync(hash, cancellationToken).ConfigureAwait(false);
        if (_schema is null || version.SpecVersion != _specVersion)
        {
            var metadata = MetadataParser.Parse(await _rpc.GetLatestMetadataAsync(version, hash, cancellationToken).ConfigureAwait(false));
            _schema = AiComputeSchema.Create(metadata);
            _specVersion = version.SpecVersion;
            _hub.UpdateHealth(h => h with { SchemaMismatch = false, SpecVersion = version.SpecVersion });
            LogSchema(version.SpecName, version.SpecVersion, metadata.Version);
        }

        if (!_propertiesRead)
        {
            await ReadPropertiesAsync(cancellationToken).ConfigureAwait(false);
        }

        var schema = _schema;
        _directory ??= new ProviderDirectory(_ss58);
        var state = new AiComputeState(schema.PlatformFeeBps, _directory, _decimals, _options.MaxJobs);
        await LoadMapAsync(schema.GpuNodes, hash, _options.MaxGpus, (id, bytes) => state.SetGpu(id, schema.GpuCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        if (schema.ProviderGpus is { } providerGpus)
        {
            await LoadProvidersAsync(providerGpus, hash, state, cancellationToken).ConfigureAwait(false);
        }

        var counters = (await _rpc.QueryStorageAtAsync([schema.PendingJobs.ValueKey, schema.NextJobId.ValueKey], hash, cancellationToken).ConfigureAwait(false)).Changes;
        state.PendingList = schema.DecodeIdList(schema.PendingJobs, Value(counters, 0));
        await LoadMapAsync(schema.Jobs, hash, _options.MaxJobs, (id, bytes) => state.SetJob(id, schema.JobCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        state.TrimExcess();
        CheckNextJobId(schema.DecodeCounter(schema.NextJobId, Value(counters, 1)), state, header.Number);
        await BackfillAssignmentsAsync(header.Number, state, cancellationToken).ConfigureAwait(false);

        long drift = 0;
        if (compare && _state is not null)
        {
            drift = Compare(_state, state);
            if (drift > 0)
            {
                LogDrift(drift, header.Number);
            }
        }

        _state = state;
        _last = header.Number;
        _lastHash = hash;
        _resync = false;
        _lastVerifyTimestamp = _time.GetTimestamp();
        _hub.UpdateHealth(h => h with { FullSyncs = h.FullSyncs + 1, VerificationDrift = h.VerificationDrift + drift });
        Publish(header.Number, hash);

        // A full sync allocates tens of megabytes of JSON and values that are garbage once it ends;
        // give that memory back to the system rather than keep the peak as the pod's resident set.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogSynced(header.Number, state.JobCount, state.Gpus.Count, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ReadPropertiesAsync(CancellationToken cancellationToken)
    {
        var properties = await _rpc.GetSystemPropertiesAsync(cancellationToken).ConfigureAwait(false);
        if (properties.ValueKind == JsonValueKind.Object)
        {
            _ss58 = FirstNumber(properties, "ss58Format") is { } ss58 and <= 16383 ? (ushort)ss58 : _ss58;
            _decimals = FirstNumber(properties, "tokenDecimals") is { } d and <= 38 ? (int)d : _decimals;
        }

        var chain = await _rpc.GetSystemChainAsync(cancellationToken).ConfigureAwait(false);
        _hub.UpdateHealth(h => h with { ChainName = chain });
        _propertiesRead = true;
    }

    // tokenDecimals and ss58Format may be a number or an array whose first entry is the native token.
    private static long? FirstNumber(JsonElement properties, string name)
    {
        if (!properties.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            value = value[0];
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0 ? n : null;
    }

    private async Task LoadMapAsync(StorageItem item, string hash, int maxEntries, Action<ulong, byte[]> apply, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<Task<StorageChangeSet>>();
        string? start = null;
        long keys = 0;
        while (true)
        {
            var page = await PageAsync(item, start, hash, cancellationToken).ConfigureAwait(false);
            keys += page.Count;
            if (keys > maxEntries)
            {
                throw new ChainDataException($"{item.Pallet}.{item.Name} holds more than {maxEntries} entries (chain.max_{(item.Name == "Jobs" ? "jobs" : "gpus")})");
            }

            if (page.Count > 0)
            {
                inFlight.Enqueue(_rpc.QueryStorageAtAsync(page, hash, cancellationToken));
            }

            while (inFlight.Count > (page.Count < _options.PageSize ? 0 : _options.SyncParallelism - 1))
            {
                foreach (var change in (await inFlight.Dequeue().ConfigureAwait(false)).Changes)
                {
                    if (change.Value is not null)
                    {
                        apply(AiComputeSchema.IdFromKey(item, change.Key), Etrid.Substrate.Hex.Decode(change.Value));
                    }
                }
            }

            if (page.Count < _options.PageSize)
            {
                return;
            }

            start = page[^1];
        }
    }

    private async Task LoadProvidersAsync(StorageItem item, string hash, AiComputeState state, CancellationToken cancellationToken)
    {
        string? start = null;
        long keys = 0;
        while (true)
        {
            var page = await PageAsync(item, start, hash, cancellationToken).ConfigureAwait(false);
            keys += page.Count;
            if (keys > _options.MaxGpus)
            {
                throw new ChainDataException($"{item.Pallet}.{item.Name} holds more than {_options.MaxGpus} providers (chain.max_gpus)");
            }

            if (page.Count > 0)
            {
                var values = (await _rpc.QueryStorageAtAsync(page, hash, cancellationToken).ConfigureAwait(false)).Changes;
                foreach (var change in values)
                {
                    var account = Etrid.Substrate.Storage.StorageKey.ExtractKey(Etrid.Substrate.Hex.Decode(change.Key), item.Hasher).ToArray();
                    if (account.Length == 32 && change.Value is not null)
                    {
                        foreach (var gpuId in _schema!.DecodeIdList(item, Etrid.Substrate.Hex.Decode(change.Value)))
                        {
                            state.Directory.Remember(gpuId, account);
                        }
                    }
                }
            }

            if (page.Count < _options.PageSize)
            {
                return;
            }

            start = page[^1];
        }
    }

    private async Task BackfillAssignmentsAsync(uint head, AiComputeState state, CancellationToken cancellationToken)
    {
        var blocks = (uint)Math.Min(uint.MaxValue, _options.Window.TotalSeconds / _options.PalletSecondsPerBlock);
        var first = head > blocks ? head - blocks : 1;
        var numbers = new List<uint>();
        for (var n = first; n <= head && n >= first; n++)
        {
            numbers.Add(n);
        }

        var results = new Dictionary<uint, IReadOnlyList<ChainEvent>>();
        foreach (var chunk in numbers.Chunk(16))
        {
            var tasks = chunk.Select(async n =>
            {
                try
                {
                    var blockHash = await _rpc.GetBlockHashAsync(n, cancellationToken).ConfigureAwait(false);
                    if (blockHash is null)
                    {
                        return (n, (IReadOnlyList<ChainEvent>)[]);
                    }

                    var events = (await _rpc.QueryStorageAtAsync([_schema!.Events.ValueKey], blockHash, cancellationToken).ConfigureAwait(false)).Changes;
                    return (n, _schema.DecodeEvents(Value(events, 0)));
                }
                catch (SubstrateRpcException e) when (e.Code == 4003)
                {
                    // Pruned state: the window starts later than wanted.
                    LogPruned(n, e.Message);
                    return (n, (IReadOnlyList<ChainEvent>)[]);
                }
                catch (ScaleDecodeException e)
                {
                    // Events of an older runtime: those blocks do not count towards the window.
                    LogPruned(n, e.Message);
                    return (n, (IReadOnlyList<ChainEvent>)[]);
                }
            }).ToList();
            foreach (var (n, events) in await Task.WhenAll(tasks).ConfigureAwait(false))
            {
                results[n] = events;
            }
        }

        foreach (var n in numbers)
        {
            foreach (var e in results[n])
            {
                if (e is { Name: "JobAssigned", JobId: { } jobId })
                {
                    state.RecordAssignment(PalletTime(n), jobId);
                }
            }
        }
    }

    private async Task<List<StorageChange>> ReadAsync(List<string> keys, string hash, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var batches = keys.Chunk(_options.PageSize).Select(batch => _rpc.QueryStorageAtAsync(batch, hash, cancellationToken)).ToList();
        var result = new List<StorageChange>(keys.Count);
        foreach (var batch in await Task.WhenAll(batches).ConfigureAwait(false))
        {
            result.AddRange(batch.Changes);
        }

        if (result.Count != keys.Count)
        {
            throw new SubstrateRpcException("state_queryStorageAt", "node", null, $"asked for {keys.Count} keys, got {result.Count}");
        }

        return result;
    }

    private static long Compare(AiComputeState kept, AiComputeState fresh)
    {
        long drift = 0;
        foreach (var id in kept.JobIds.Union(fresh.JobIds))
        {
            if (kept.GetJob(id) != fresh.GetJob(id))
            {
                drift++;
            }
        }

        foreach (var id in kept.Gpus.Keys.Union(fresh.Gpus.Keys))
        {
            var a = kept.Gpus.GetValueOrDefault(id);
            var b = fresh.Gpus.GetValueOrDefault(id);
            if (a?.Status != b?.Status || !(a?.Provider ?? []).AsSpan().SequenceEqual(b?.Provider ?? []))
            {
                drift++;
            }
        }

        return drift;
    }

    private bool VerificationDue() =>
        _options.VerifyInterval > TimeSpan.Zero && _time.GetElapsedTime(_lastVerifyTimestamp) >= _options.VerifyInterval;

    private void Publish(uint number, string hash)
    {
        var state = _state!;
        var figures = state.Compute(PalletTime(number), (ulong)_options.Window.TotalSeconds);
        if (figures.PendingListLength != figures.Pending)
        {
            LogPendingMismatch(number, figures.PendingListLength, figures.Pending);
        }

        _hub.Publish(new ChainSnapshot(number, hash, _specVersion, _time.GetUtcNow(), figures));
    }

    /// <summary>The pallets' clock at a block: block × <c>pallet_seconds_per_block</c>.</summary>
    private ulong PalletTime(uint block) => (ulong)block * (ulong)_options.PalletSecondsPerBlock;

    // NextJobId far beyond the jobs seen is not a chain's doing: refuse it before it costs memory or time.
    private void CheckNextJobId(ulong nextJobId, AiComputeState state, uint block)
    {
        var expected = state.NextExpectedJobId;
        if (nextJobId > expected && nextJobId - expected > (ulong)_options.MaxNewJobsPerBlock)
        {
            throw new ChainDataException($"JobMarketplace.NextJobId is {nextJobId} at block {block}, but the highest job id known is {(expected == 0 ? "none" : (expected - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}: more than {_options.MaxNewJobsPerBlock} new jobs at once is not plausible (chain.max_new_jobs_per_block)");
        }
    }

    private async Task<IReadOnlyList<string>> PageAsync(StorageItem item, string? start, string hash, CancellationToken cancellationToken)
    {
        var page = await _rpc.GetKeysPagedAsync(item.Prefix, _options.PageSize, start, hash, cancellationToken).ConfigureAwait(false);
        return page.Count <= _options.PageSize
            ? page
            : throw new ChainDataException($"state_getKeysPaged for {item.Pallet}.{item.Name} answered {page.Count} keys where {_options.PageSize} were asked for");
    }

    private static byte[]? Value(IReadOnlyList<StorageChange> changes, int index) =>
        changes[index].Value is { } hex ? Etrid.Substrate.Hex.Decode(hex) : null;

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Synced at block {Block}: {Jobs} jobs, {Gpus} GPUs in {Milliseconds:F0} ms")]
    private partial void LogSynced(uint block, int jobs, int gpus, double milliseconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Following the chain failed ({Kind}): {Error}; retrying in {Seconds:F1} s")]
    private partial void LogFailed(string kind, string error, double seconds);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Full sync requested: {Reason}")]
    private partial void LogResyncRequested(string reason);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Runtime {SpecName} spec version {SpecVersion}, metadata V{MetadataVersion}: schema resolved")]
    private partial void LogSchema(string specName, uint specVersion, byte metadataVersion);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Verification at block {Block} found {Drift} value(s) that differed from the kept state")]
    private partial void LogDrift(long drift, uint block);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Events of block {Block} skipped for the window: {Error}")]
    private partial void LogPruned(uint block, string error);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "Following the chain failed unexpectedly; retrying in {Seconds:F1} s")]
    private partial void LogUnexpected(Exception exception, double seconds);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "The node refused the runtime-version subscription ({Error}); the runtime version is read at each block instead")]
    private partial void LogVersionsRefused(string error);

    [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "Block {Block}: PendingJobs holds {ListLength} ids but {StatusCount} jobs have status Pending")]
    private partial void LogPendingMismatch(uint block, int listLength, long statusCount);
}
