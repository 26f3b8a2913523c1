using System.Runtime.CompilerServices;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// The full (cold) sync: reads every GPU, provider and job at one block into a new <see cref="AiComputeState"/>.
/// Keys are listed first, in as many hash ranges at once as <c>chain.sync_parallelism</c> allows (the hashed
/// part of a key is uniform, so the ranges are about equal), keeping only the ids; the job table is then
/// sized once for them, and values are read in batches small enough that no answer lands on the large object
/// heap. Everything is read over the node's RPC at the keys the node listed. A verification
/// (<see cref="ForEachValueAsync"/>) needs no table sized: it reads each page's values as the page comes.
/// </summary>
internal sealed class ChainSyncer
{
    // Keys per value request: 160 job values answer in about 65 KB, below the large object heap's 85 KB.
    private const int ValueBatch = 160;

    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;

    public ChainSyncer(ISubstrateRpc rpc, FollowerOptions options)
    {
        _rpc = rpc;
        _options = options;
    }

    /// <summary>Reads the whole state at <paramref name="hash"/> (block <paramref name="number"/>).</summary>
    public async Task<AiComputeState> ReadStateAsync(AiComputeSchema schema, string hash, uint number, ProviderDirectory directory, int decimals, CancellationToken cancellationToken)
    {
        var state = new AiComputeState(schema.PlatformFeeBps, directory, decimals, _options.MaxJobs);
        var gpuIds = await ListIdsAsync(schema.GpuNodes, hash, _options.MaxGpus, "chain.max_gpus", cancellationToken).ConfigureAwait(false);
        await ReadValuesAsync(schema.GpuNodes, gpuIds, hash, (id, bytes) => state.SetGpu(id, schema.GpuCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        if (schema.ProviderGpus is { } providerGpus)
        {
            await LoadProvidersAsync(schema, providerGpus, hash, state, cancellationToken).ConfigureAwait(false);
        }

        var counters = (await _rpc.QueryStorageAtAsync([schema.PendingJobs.ValueKey, schema.NextJobId.ValueKey], hash, cancellationToken).ConfigureAwait(false)).Changes;
        state.PendingList = schema.DecodeIdList(schema.PendingJobs, BlockProcessor.Value(counters, 0));
        var jobIds = await ListIdsAsync(schema.Jobs, hash, _options.MaxJobs, "chain.max_jobs", cancellationToken).ConfigureAwait(false);
        state.ReserveJobs(jobIds);

        // Only completions within the window keep a full record: the rest are counted as they arrive.
        var now = (ulong)number * (ulong)_options.PalletSecondsPerBlock;
        var window = (ulong)_options.Window.TotalSeconds;
        state.StartWindowAt(now > window ? now - window : 0);
        await ReadValuesAsync(schema.Jobs, jobIds, hash, (id, bytes) => state.SetJob(id, schema.JobCodec.Decode(id, bytes)), cancellationToken).ConfigureAwait(false);
        state.TrimExcess();
        BlockProcessor.CheckNextJobId(schema.DecodeCounter(schema.NextJobId, BlockProcessor.Value(counters, 1)), state, number, _options.MaxNewJobsPerBlock);
        return state;
    }

    /// <summary>
    /// Reads every value of a u64-keyed map at <paramref name="hash"/> and hands each to <paramref name="apply"/>, one at a
    /// time (never two at once); nothing is kept. Each hash range reads the values of a page of keys as soon as the page
    /// comes, at the keys the node listed: no list of every id, no key hashed again, so what is held is a page and its
    /// value batches per range whatever the size of the map.
    /// </summary>
    public async Task ForEachValueAsync(StorageItem item, string hash, int maxEntries, string limitKey, StorageValueHandler apply, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        var batch = Math.Min(_options.PageSize, ValueBatch);
        await WalkKeysAsync(item, hash, maxEntries, limitKey, async (keys, count) =>
        {
            var inFlight = new Queue<Task<StorageValues>>();
            for (var i = 0; i < count; i += batch)
            {
                var chunk = new string[Math.Min(batch, count - i)];
                for (var k = 0; k < chunk.Length; k++)
                {
                    chunk[k] = Etrid.Substrate.Hex.Encode(keys[i + k]);
                }

                inFlight.Enqueue(_rpc.QueryStorageValuesAsync(chunk, hash, cancellationToken));
                while (inFlight.Count >= 2)
                {
                    ApplyLocked(item, await inFlight.Dequeue().ConfigureAwait(false), apply, gate);
                }
            }

            while (inFlight.Count > 0)
            {
                ApplyLocked(item, await inFlight.Dequeue().ConfigureAwait(false), apply, gate);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    // The ids of a u64-keyed map, listed in hash ranges at once; more than maxEntries is refused as soon as it is seen.
    private async Task<List<ulong>> ListIdsAsync(StorageItem item, string hash, int maxEntries, string limitKey, CancellationToken cancellationToken)
    {
        var ranges = new List<ulong>[Math.Clamp(_options.SyncParallelism, 1, 16)];
        await WalkKeysAsync(item, hash, maxEntries, limitKey, range =>
        {
            var ids = new List<ulong>();
            ranges[range] = ids;
            return (keys, count) =>
            {
                for (var i = 0; i < count; i++)
                {
                    ids.Add(AiComputeSchema.IdFromKey(item, keys[i]));
                }

                return Task.CompletedTask;
            };
        }, cancellationToken).ConfigureAwait(false);
        var all = new List<ulong>(ranges.Sum(p => p?.Count ?? 0));
        foreach (var part in ranges)
        {
            all.AddRange(part ?? []);
        }

        return all;
    }

    private Task WalkKeysAsync(StorageItem item, string hash, int maxEntries, string limitKey, Func<StorageKeys, int, Task> onPage, CancellationToken cancellationToken) =>
        WalkKeysAsync(item, hash, maxEntries, limitKey, _ => onPage, cancellationToken);

    // Lists the map's keys in sync_parallelism hash ranges at once (the hashed part of a key is uniform, so the ranges
    // are about equal), handing each range's pages and how many of their keys come before the range's end to the
    // handler made for that range.
    private async Task WalkKeysAsync(StorageItem item, string hash, int maxEntries, string limitKey, Func<int, Func<StorageKeys, int, Task>> handlerFor, CancellationToken cancellationToken)
    {
        var ranges = Math.Clamp(_options.SyncParallelism, 1, 16);
        var listed = new StrongBox<long>();
        await Task.WhenAll(Enumerable.Range(0, ranges)
            .Select(r => WalkRangeAsync(item, hash, Boundary(item.Prefix, r, ranges), Boundary(item.Prefix, r + 1, ranges), listed, maxEntries, limitKey, handlerFor(r), cancellationToken)))
            .ConfigureAwait(false);
    }

    // Range r of n starts at the key prefix followed by byte ⌊256·r/n⌋ (none for the first range, none past the last).
    private static byte[]? Boundary(byte[] prefix, int range, int ranges) =>
        range == 0 || range == ranges ? null : [.. prefix, (byte)(range * 256 / ranges)];

    private async Task WalkRangeAsync(StorageItem item, string hash, byte[]? from, byte[]? until, StrongBox<long> listed, int maxEntries, string limitKey, Func<StorageKeys, int, Task> onPage, CancellationToken cancellationToken)
    {
        var start = from;
        while (true)
        {
            var page = await PageAsync(item, start is null ? null : Etrid.Substrate.Hex.Encode(start), hash, cancellationToken).ConfigureAwait(false);
            var inRange = page.Count;
            if (until is not null)
            {
                // Keys from the next range on are its own to list.
                inRange = 0;
                while (inRange < page.Count && page[inRange].SequenceCompareTo(until) < 0)
                {
                    inRange++;
                }
            }

            if (Interlocked.Add(ref listed.Value, inRange) > maxEntries)
            {
                throw new ChainDataException($"{item.Pallet}.{item.Name} holds more than {maxEntries} entries ({limitKey})");
            }

            if (inRange > 0)
            {
                await onPage(page, inRange).ConfigureAwait(false);
            }

            if (inRange < page.Count || page.Count < _options.PageSize)
            {
                return;
            }

            var last = page[page.Count - 1];
            if (start is not null && last.SequenceCompareTo(start) <= 0)
            {
                throw new ChainDataException($"state_getKeysPaged for {item.Pallet}.{item.Name} did not move past {Etrid.Substrate.Hex.Encode(start)}: keys must come in ascending order");
            }

            start = last.ToArray();
        }
    }

    private async Task ReadValuesAsync(StorageItem item, List<ulong> ids, string hash, StorageValueHandler apply, CancellationToken cancellationToken)
    {
        var batch = Math.Min(_options.PageSize, ValueBatch);
        var inFlight = new Queue<Task<StorageValues>>();
        for (var i = 0; i < ids.Count; i += batch)
        {
            var keys = new string[Math.Min(batch, ids.Count - i)];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = AiComputeSchema.KeyForId(item, ids[i + k]);
            }

            inFlight.Enqueue(_rpc.QueryStorageValuesAsync(keys, hash, cancellationToken));
            while (inFlight.Count >= 2 * _options.SyncParallelism)
            {
                Apply(item, await inFlight.Dequeue().ConfigureAwait(false), apply);
            }
        }

        while (inFlight.Count > 0)
        {
            Apply(item, await inFlight.Dequeue().ConfigureAwait(false), apply);
        }
    }

    private static void ApplyLocked(StorageItem item, StorageValues values, StorageValueHandler apply, Lock gate)
    {
        lock (gate)
        {
            Apply(item, values, apply);
        }
    }

    private static void Apply(StorageItem item, StorageValues values, StorageValueHandler apply)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values.TryGetValue(i, out var value))
            {
                apply(AiComputeSchema.IdFromKey(item, values.Key(i)), value);
            }
        }
    }

    private async Task LoadProvidersAsync(AiComputeSchema schema, StorageItem item, string hash, AiComputeState state, CancellationToken cancellationToken)
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

            for (var first = 0; first < page.Count; first += ValueBatch)
            {
                var chunk = new string[Math.Min(ValueBatch, page.Count - first)];
                for (var k = 0; k < chunk.Length; k++)
                {
                    chunk[k] = Etrid.Substrate.Hex.Encode(page[first + k]);
                }

                var values = await _rpc.QueryStorageValuesAsync(chunk, hash, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < values.Count; i++)
                {
                    var account = Etrid.Substrate.Storage.StorageKey.ExtractKey(values.Key(i), item.Hasher);
                    if (account.Length == 32 && values.TryGetValue(i, out var value))
                    {
                        foreach (var gpuId in schema.DecodeIdList(item, value.ToArray()))
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

            start = Etrid.Substrate.Hex.Encode(page[page.Count - 1]);
        }
    }

    private async Task<StorageKeys> PageAsync(StorageItem item, string? start, string hash, CancellationToken cancellationToken)
    {
        var page = await _rpc.GetKeyPageAsync(item.Prefix, _options.PageSize, start, hash, cancellationToken).ConfigureAwait(false);
        return page.Count <= _options.PageSize
            ? page
            : throw new ChainDataException($"state_getKeysPaged for {item.Pallet}.{item.Name} answered {page.Count} keys where {_options.PageSize} were asked for");
    }
}
