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

namespace Etrid.AiCompute.Follower;

/// <summary>
/// Follows the chain block by block: a full sync at a pinned block (keys paged, values fetched in
/// parallel batches), then for each new head the block's events, and a re-read of only the jobs and
/// GPUs they touch. Skipped heads are filled in; reconnects, runtime upgrades and decode failures
/// lead to a new full sync. Each processed block publishes one immutable snapshot.
/// </summary>
public sealed partial class ChainFollower
{
    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;
    private readonly SnapshotStore _store;
    private readonly ChainStatus _status;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private AiComputeSchema? _schema;
    private uint _specVersion;
    private ushort _ss58 = 42;
    private int _decimals = 18;
    private bool _propertiesRead;
    private AiComputeState? _state;
    private uint _last;
    private volatile bool _resync = true;
    private long _lastVerifyTimestamp;

    public ChainFollower(ISubstrateRpc rpc, FollowerOptions options, SnapshotStore store, ChainStatus status, ILogger<ChainFollower>? logger = null, TimeProvider? timeProvider = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid follower options: " + string.Join("; ", problems), nameof(options));
        }

        _rpc = rpc;
        _options = options;
        _store = store;
        _status = status;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Asks for a full sync before the next block (after a reconnect, say).</summary>
    public void RequestResync(string reason)
    {
        LogResyncRequested(reason);
        _resync = true;
    }

    /// <summary>Runs until cancelled; failures are logged, reported in <see cref="ChainStatus"/> and retried with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        RpcSubscription? driving = null;
        RpcSubscription? best = null;
        RpcSubscription? versions = null;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (driving is null)
                    {
                        // Best heads feed the status and the watchdog; the driving heads decide what is processed.
                        best = await _rpc.SubscribeNewHeadsAsync(cancellationToken).ConfigureAwait(false);
                        driving = _options.Finality == FinalityMode.Finalized
                            ? await _rpc.SubscribeFinalizedHeadsAsync(cancellationToken).ConfigureAwait(false)
                            : best;
                        versions = await _rpc.SubscribeRuntimeVersionAsync(cancellationToken).ConfigureAwait(false);
                    }

                    DrainRuntimeVersions(versions!);
                    DrainBestHeads(best!, driving);
                    if (_resync)
                    {
                        await FullSyncAsync(compare: false, cancellationToken).ConfigureAwait(false);
                    }
                    else if (VerificationDue())
                    {
                        await FullSyncAsync(compare: true, cancellationToken).ConfigureAwait(false);
                    }

                    var header = await NextHeadAsync(driving, cancellationToken).ConfigureAwait(false);
                    if (header is not null)
                    {
                        if (_options.Finality == FinalityMode.Finalized)
                        {
                            _status.FinalizedHead(header.Number, _time.GetUtcNow());
                        }
                        else
                        {
                            _status.BestHead(header.Number);
                            _status.FinalizedHead(header.Number, _time.GetUtcNow());
                        }

                        await FollowToAsync(header.Number, cancellationToken).ConfigureAwait(false);
                    }

                    failures = 0;
                    _status.LastError = null;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsChainProblem(e))
                {
                    failures++;
                    _resync = true;
                    _status.LastError = e.Message;
                    _status.SchemaMismatch = e is SchemaException;
                    var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks << Math.Min(failures - 1, 16)));
                    LogFailed(e.GetType().Name, e.Message, delay.TotalSeconds);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var s in new[] { driving, best, versions }.Distinct())
            {
                if (s is not null)
                {
                    await s.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Reads the state at the current head from scratch and publishes it (used by <c>inspect</c> too).</summary>
    public async Task<ChainSnapshot> SyncOnceAsync(CancellationToken cancellationToken)
    {
        await FullSyncAsync(compare: false, cancellationToken).ConfigureAwait(false);
        return _store.Current!;
    }

    private static bool IsChainProblem(Exception e) =>
        e is SubstrateRpcException or ScaleDecodeException or MetadataException or SchemaException or FormatException or JsonException or InvalidOperationException;

    private void DrainRuntimeVersions(RpcSubscription versions)
    {
        while (versions.Items.TryRead(out var item))
        {
            var version = RuntimeVersion.Parse(item);
            if (_schema is not null && version.SpecVersion != _specVersion)
            {
                RequestResync($"runtime upgraded from spec version {_specVersion} to {version.SpecVersion}");
            }
        }
    }

    private void DrainBestHeads(RpcSubscription best, RpcSubscription driving)
    {
        if (ReferenceEquals(best, driving))
        {
            return;
        }

        while (best.Items.TryRead(out var item))
        {
            _status.BestHead(BlockHeader.Parse(item).Number);
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
        string[] keys = [schema.Events.ValueKey, schema.NextJobId.ValueKey, schema.PendingJobs.ValueKey];
        var values = (await _rpc.QueryStorageAtAsync(keys, hash, cancellationToken).ConfigureAwait(false)).Changes;
        var events = schema.DecodeEvents(Value(values, 0));
        var nextJobId = schema.DecodeCounter(schema.NextJobId, Value(values, 1));

        var jobIds = new SortedSet<ulong>();
        var gpuIds = new SortedSet<ulong>();
        for (var id = (ulong)state.JobCount; id < nextJobId; id++)
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
                    state.RememberProvider(g, provider);
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
                state.RecordAssignment(number, assigned);
            }
        }

        state.PendingList = schema.DecodeIdList(schema.PendingJobs, Value(values, 2));
        _last = number;
        Publish(number, hash);
    }

    private async Task FullSyncAsync(bool compare, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var hash = _options.Finality == FinalityMode.Finalized
            ? await _rpc.GetFinalizedHeadAsync(cancellationToken).ConfigureAwait(false)
            : await _rpc.GetBlockHashAsync(null, cancellationToken).ConfigureAwait(false) ?? throw new SubstrateRpcException("chain_getBlockHash", "node", null, "no best block");
        var header = await _rpc.GetHeaderAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getHeader", "node", null, $"header of {hash} not found");
        var version = await _rpc.GetRuntimeVersionAsync(hash, cancellationToken).ConfigureAwait(false);
        if (_schema is null || version.SpecVersion != _specVersion)
        {
            var metadata = MetadataParser.Parse(await _rpc.GetLatestMetadataAsync(version, hash, cancellationToken).ConfigureAwait(false));
            _schema = AiComputeSchema.Create(metadata);
            _specVersion = version.SpecVersion;
            _status.SchemaMismatch = false;
            LogSchema(version.SpecName, version.SpecVersion, metadata.Version);
        }

        if (!_propertiesRead)
        {
            await ReadPropertiesAsync(cancellationToken).ConfigureAwait(false);
        }

        var schema = _schema;
        var state = new AiComputeState(schema.PlatformFeeBps, _ss58, _decimals);
        await LoadMapAsync(schema.GpuNodes, hash, (id, bytes) => state.SetGpu(id, schema.GpuCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        if (schema.ProviderGpus is { } providerGpus)
        {
            await LoadProvidersAsync(providerGpus, hash, state, cancellationToken).ConfigureAwait(false);
        }

        var counters = (await _rpc.QueryStorageAtAsync([schema.PendingJobs.ValueKey, schema.NextJobId.ValueKey], hash, cancellationToken).ConfigureAwait(false)).Changes;
        state.PendingList = schema.DecodeIdList(schema.PendingJobs, Value(counters, 0));
        state.Reserve((int)Math.Min(schema.DecodeCounter(schema.NextJobId, Value(counters, 1)), int.MaxValue));
        await LoadMapAsync(schema.Jobs, hash, (id, bytes) => state.SetJob(id, schema.JobCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        await BackfillAssignmentsAsync(header.Number, state, cancellationToken).ConfigureAwait(false);

        if (compare && _state is not null)
        {
            var drift = Compare(_state, state);
            _status.AddDrift(drift);
            if (drift > 0)
            {
                LogDrift(drift, header.Number);
            }
        }

        _state = state;
        _last = header.Number;
        _resync = false;
        _lastVerifyTimestamp = _time.GetTimestamp();
        _status.SyncDone();
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

        _status.ChainName = await _rpc.GetSystemChainAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task LoadMapAsync(StorageItem item, string hash, Action<ulong, byte[]> apply, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<Task<StorageChangeSet>>();
        string? start = null;
        while (true)
        {
            var page = await _rpc.GetKeysPagedAsync(item.Prefix, _options.PageSize, start, hash, cancellationToken).ConfigureAwait(false);
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
        while (true)
        {
            var page = await _rpc.GetKeysPagedAsync(item.Prefix, _options.PageSize, start, hash, cancellationToken).ConfigureAwait(false);
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
                            state.RememberProvider(gpuId, account);
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
        var blocks = (uint)(_options.Window.TotalSeconds / 6);
        var first = head > blocks ? head - blocks : 1;
        var numbers = Enumerable.Range((int)first, (int)(head - first + 1)).Select(n => (uint)n).ToList();
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
                    state.RecordAssignment(n, jobId);
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
        var count = Math.Max(kept.JobCount, fresh.JobCount);
        for (ulong id = 0; id < (ulong)count; id++)
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
        var figures = state.Compute((ulong)number * 6, (ulong)_options.Window.TotalSeconds);
        if (figures.PendingListLength != figures.Pending)
        {
            LogPendingMismatch(number, figures.PendingListLength, figures.Pending);
        }

        _store.Publish(new ChainSnapshot(number, hash, _specVersion, _time.GetUtcNow(), figures));
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

    [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "Block {Block}: PendingJobs holds {ListLength} ids but {StatusCount} jobs have status Pending")]
    private partial void LogPendingMismatch(uint block, int listLength, long statusCount);
}
