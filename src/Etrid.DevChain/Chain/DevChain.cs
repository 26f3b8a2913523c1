using Etrid.DevChain.Runtime;
using Etrid.DevChain.Storage;
using Etrid.DevChain.Workloads;
using Etrid.Substrate;
using Etrid.Substrate.Hashing;
using Etrid.Substrate.Scale;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.DevChain.Chain;

/// <summary>
/// The dev chain's state machine: blocks with headers and hashes, best and finalized heads, storage
/// with history, the runtime (metadata and version per block) and the seeded workload. Thread-safe:
/// blocks are built under a write lock, reads take a read lock.
/// </summary>
public sealed partial class DevChain : IAsyncDisposable
{
    /// <summary>Genesis Timestamp.Now, in ms; the clock then advances 6 s a block.</summary>
    public const ulong GenesisTimestampMs = 1_767_225_600_000;

    private readonly DevChainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly VersionedStorage _storage;
    private readonly List<BlockInfo> _blocks = [];
    private readonly Dictionary<string, uint> _numbersByHash = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(uint FromBlock, AiComputeRuntime Runtime, uint SpecVersion)> _runtimes = [];
    private readonly Workload _workload;
    private readonly List<Action<BlockBuilder>> _queued = [];
    private readonly byte[] _seedBytes;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _producer;
    private uint _finalized;

    private ulong? _nextJobIdOverride;
    private int _servedLag;

    // The side branch served as the best chain while it is longer than the canonical one, and every branch made
    // (their blocks stay readable by hash after a re-org, as a node keeps them until pruned).
    private Fork? _fork;
    private readonly List<Fork> _forks = [];

    public DevChain(DevChainOptions options, TimeProvider? timeProvider = null, ILogger<DevChain>? logger = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid dev chain options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _storage = new VersionedStorage(options.HistoryDepth);
        _workload = new Workload(options);
        _seedBytes = BitConverter.GetBytes(options.Seed);
        _runtimes.Add((0, AiComputeRuntime.Create(1), 1));

        var genesis = new BlockBuilder(0, 1, _options.PalletSecondsPerBlock);
        _workload.Genesis(genesis, options.Gpus, options.Jobs);
        _nextJobIdOverride = options.AnnouncedNextJobId;
        AnnounceOverride(genesis);
        Seal(genesis);

        // The plausible past: the market runs at its base rate before anyone watches.
        for (var i = 0; i < options.HistoryBlocks; i++)
        {
            ProduceBlock();
        }

        _workload.Live = true;
    }

    /// <summary>Raised after each new best block, outside the lock.</summary>
    public event Action<BlockInfo>? NewBlock;

    /// <summary>Raised when the finalized head advances and a notification is due (newest only, as nodes do).</summary>
    public event Action<BlockInfo>? NewFinalized;

    /// <summary>Raised after a runtime upgrade, with the first block of the new runtime.</summary>
    public event Action<BlockInfo>? RuntimeUpgraded;

    /// <summary>Raised when a test or operator asks to drop every RPC connection.</summary>
    public event Action? ConnectionsDropRequested;

    /// <summary>Raised by <see cref="Flood"/>: (notifications, head number, spec version) for the RPC server to send.</summary>
    public event Action<int, uint, uint>? FloodRequested;

    /// <summary>Raised by <see cref="SendStrayReplies"/> with the number of replies to send.</summary>
    public event Action<int>? StrayRepliesRequested;

    /// <summary>Raised by <see cref="SendOversizedMessage"/> with the message's size in bytes.</summary>
    public event Action<int>? OversizedMessageRequested;

    public DevChainOptions Options => _options;

    /// <summary>How long the RPC server waits before answering each request (a slow node); zero by default.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Methods answered with "method not found", as a node that does not offer them would (the value is unused).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> RefusedMethods { get; } = new(StringComparer.Ordinal);

    /// <summary>While true, the RPC server sends no subscription notifications (a silent stall).</summary>
    public bool SubscriptionsStalled { get; set; }

    public string ChainName => "AI Compute PBC Development";

    /// <summary>
    /// A hostile or misconfigured node: <c>chain_getBlockHash(0)</c> answers this hash instead of the true
    /// genesis (another chain behind the same endpoint); null, the default: the true genesis.
    /// </summary>
    public string? AnnouncedGenesisHash { get; set; }

    /// <summary>
    /// A node behind the chain (restarted, or one a failover lands on): its RPC serves best and finalized
    /// heads, notifications and block hashes this many blocks back. 0, the default: current.
    /// </summary>
    public int ServedLag
    {
        get => Volatile.Read(ref _servedLag);
        set => Volatile.Write(ref _servedLag, Math.Max(0, value));
    }

    /// <summary>The best head as the RPC serves it (<see cref="ServedLag"/> blocks back).</summary>
    public BlockInfo ServedBest => Served(Best);

    /// <summary>The finalized head as the RPC serves it (<see cref="ServedLag"/> blocks back).</summary>
    public BlockInfo ServedFinalized => Served(Finalized);

    /// <summary>The block a lagging node serves in place of <paramref name="block"/>.</summary>
    public BlockInfo Served(BlockInfo block)
    {
        var lag = (uint)ServedLag;
        return lag == 0 ? block : GetBlock(block.Number > lag ? block.Number - lag : 0)!;
    }

    /// <summary>The block with this number as the RPC serves it: null beyond the served best head.</summary>
    public BlockInfo? ServedBlock(uint number) => number <= ServedBest.Number ? GetBlock(number) : null;

    /// <summary>
    /// Makes the RPC server push, on every connection, <paramref name="notifications"/> best and finalized heads
    /// numbered <paramref name="headNumber"/> and as many runtime versions with <paramref name="specVersion"/>: a
    /// node flooding nonsense, for robustness tests. The chain itself is unchanged.
    /// </summary>
    public void Flood(int notifications, uint headNumber, uint specVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(notifications);
        FloodRequested?.Invoke(notifications, headNumber, specVersion);
    }

    /// <summary>Makes the RPC server send <paramref name="count"/> replies to request ids no client sent, on every connection.</summary>
    public void SendStrayReplies(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        StrayRepliesRequested?.Invoke(count);
    }

    /// <summary>Makes the RPC server send one notification of <paramref name="bytes"/> bytes on every connection.</summary>
    public void SendOversizedMessage(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        OversizedMessageRequested?.Invoke(bytes);
    }

    public BlockInfo Best => Read(() => _fork is { } fork ? fork.Blocks[^1] : _blocks[^1]);

    public BlockInfo Finalized => Read(() => _blocks[(int)_finalized]);

    /// <summary>The block with this number, or null.</summary>
    public BlockInfo? GetBlock(uint number) => Read(() => _fork is { } fork && number > fork.Point
        ? (number <= fork.Head ? fork.Blocks[(int)(number - fork.Point - 1)] : null)
        : number < _blocks.Count ? _blocks[(int)number] : null);

    /// <summary>The block with this hash, or null.</summary>
    public BlockInfo? GetBlock(string hash) => Read(() => _numbersByHash.TryGetValue(hash, out var n)
        ? _blocks[(int)n]
        : _forks.Select(f => f.IndexOf(hash) is var i and >= 0 ? f.Blocks[i] : null).FirstOrDefault(b => b is not null));

    /// <summary>The runtime in force at a block.</summary>
    public AiComputeRuntime RuntimeAt(BlockInfo block) => Read(() => RuntimeEntryAt(block.Number).Runtime);

    /// <summary>The spec version in force at a block.</summary>
    public uint SpecVersionAt(BlockInfo block) => Read(() => RuntimeEntryAt(block.Number).SpecVersion);

    /// <summary>A storage value (hex key without 0x) at a block.</summary>
    /// <exception cref="StateDiscardedException">The block is older than the kept history.</exception>
    public byte[]? GetStorage(string key, BlockInfo at) => Read(() =>
    {
        EnsureStateKept(at);
        return StorageAt(key, at);
    });

    /// <summary>Many storage values at one block, in order.</summary>
    public byte[]?[] GetStorage(IReadOnlyList<string> keys, BlockInfo at) => Read(() =>
    {
        EnsureStateKept(at);
        var values = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            values[i] = StorageAt(keys[i], at);
        }

        return values;
    });

    /// <summary>Keys under a prefix at a block, after <paramref name="startKey"/> (all hex without 0x).</summary>
    public List<string> GetKeysPaged(string prefix, int count, string? startKey, BlockInfo at) => Read(() =>
    {
        EnsureStateKept(at);
        // A side branch adds no keys: they page as at its fork point.
        return _storage.KeysPaged(prefix, count, startKey, ForkOf(at) is { } fork ? fork.Point : at.Number);
    });

    /// <summary>Keys among <paramref name="keys"/> whose value changed in block <paramref name="block"/>.</summary>
    public List<string> ChangedKeys(IEnumerable<string> keys, BlockInfo block) => Read(() =>
        ForkOf(block) is { } fork
            ? keys.Where(k => fork.Writes[fork.IndexOf(block.Hash)].ContainsKey(k)).ToList()
            : keys.Where(k => _storage.ChangedAt(k, block.Number)).ToList());

    /// <summary>
    /// Builds <paramref name="blocks"/> blocks of a side branch on top of the best block (the canonical head, or the
    /// branch's own head when one is served), each with the changes <paramref name="script"/> makes (called with the
    /// block and its index), and announces each as the new best head. The canonical chain and its workload are
    /// untouched: the branch stays the best chain until canonical blocks (<see cref="ProduceBlock"/>, built silently
    /// meanwhile) outnumber it; then the node re-organises to the canonical chain and announces its head. For re-org
    /// tests under <c>finality: best</c>; keep the finality lag above the branch's length.
    /// </summary>
    public IReadOnlyList<BlockInfo> ProduceFork(int blocks, Action<ForkBlockBuilder, int> script)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        ArgumentNullException.ThrowIfNull(script);
        var made = new List<BlockInfo>(blocks);
        _lock.EnterWriteLock();
        try
        {
            if (_fork is null)
            {
                _fork = new Fork((uint)_blocks.Count - 1);
                _forks.Add(_fork);
            }

            var fork = _fork;
            for (var i = 0; i < blocks; i++)
            {
                var number = fork.Head + 1;
                var layout = RuntimeEntryAt(number).Runtime.Layout;
                var builder = new ForkBlockBuilder(number, (ulong)number * (ulong)_options.PalletSecondsPerBlock, layout, id =>
                {
                    if (!fork.Jobs.TryGetValue(id, out var job))
                    {
                        job = Clone(_workload.Jobs[(int)id]);
                        fork.Jobs[id] = job;
                    }

                    return job;
                });
                script(builder, i);
                var parent = fork.Blocks.Count == 0 ? _blocks[(int)fork.Point] : fork.Blocks[^1];
                var events = new List<DevEvent>(builder.Events.Count + 1) { RuntimeCodec.ExtrinsicSuccess(0, 5_000_000) };
                events.AddRange(builder.Events);
                builder.Writes[StorageKeys.SystemNumber] = RuntimeCodec.EncodeU32(number);
                builder.Writes[StorageKeys.SystemEvents] = RuntimeCodec.EncodeEvents(events);
                builder.Writes[StorageKeys.TimestampNow] = RuntimeCodec.EncodeU64(GenesisTimestampMs + ((ulong)number * 6000));
                var block = Header(number, Hex.Decode(parent.Hash), "fork" + _forks.Count);
                fork.Blocks.Add(block);
                fork.Writes.Add(builder.Writes);
                made.Add(block);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        foreach (var block in made)
        {
            NewBlock?.Invoke(block);
        }

        return made;
    }

    // The side branch a block belongs to, or null for a canonical block. Under the lock.
    private Fork? ForkOf(BlockInfo block) =>
        _numbersByHash.ContainsKey(block.Hash) ? null : _forks.FirstOrDefault(f => f.IndexOf(block.Hash) >= 0);

    // A value at a block, through its side branch's writes when it is on one. Under the lock.
    private byte[]? StorageAt(string key, BlockInfo at)
    {
        if (ForkOf(at) is { } fork)
        {
            var value = fork.Get(key, fork.IndexOf(at.Hash), out var found);
            return found ? value : _storage.Get(key, fork.Point);
        }

        return _storage.Get(key, at.Number);
    }

    /// <summary>Copies of every job and GPU as of the best block, for tests' ground truth.</summary>
    public (BlockInfo Block, IReadOnlyList<JobRecord> Jobs, IReadOnlyList<GpuRecord> Gpus, IReadOnlyList<ulong> Pending) GroundTruth() =>
        Read(() => (_blocks[^1], _workload.Jobs.Select(Clone).ToList(), _workload.Gpus.Select(Clone).ToList(), _workload.Pending.ToList()));

    /// <summary>Starts producing a block every <see cref="DevChainOptions.BlockTime"/> (no-op when it is zero).</summary>
    public void Start()
    {
        if (_options.BlockTime <= TimeSpan.Zero || _producer is not null)
        {
            return;
        }

        _producer = Task.Run(() => ProduceLoopAsync(_stopping.Token));
    }

    /// <summary>Builds, seals and announces the next block.</summary>
    public BlockInfo ProduceBlock()
    {
        BlockInfo block;
        BlockInfo? finalized = null;
        var upgraded = false;
        var silent = false;
        _lock.EnterWriteLock();
        try
        {
            var number = (uint)_blocks.Count;
            var builder = new BlockBuilder(number, RuntimeEntryAt(number).Runtime.Layout, _options.PalletSecondsPerBlock);
            foreach (var action in _queued)
            {
                upgraded |= action == UpgradeAction;
                action(builder);
            }

            _queued.Clear();
            _workload.Advance(builder);
            AnnounceOverride(builder);

            block = Seal(builder);
            if (_fork is { } fork)
            {
                // The canonical chain outgrows the side branch: the node re-organises to it.
                silent = number <= fork.Head;
                if (!silent)
                {
                    _fork = null;
                }
            }

            var newFinal = (uint)Math.Max(0, (long)number - _options.FinalityLag);
            if (newFinal > _finalized)
            {
                _finalized = newFinal;
                if (newFinal % (uint)_options.FinalityNotifyEvery == 0)
                {
                    finalized = _blocks[(int)newFinal];
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        if (!silent)
        {
            NewBlock?.Invoke(block);
        }

        if (upgraded)
        {
            RuntimeUpgraded?.Invoke(block);
        }

        if (finalized is not null)
        {
            NewFinalized?.Invoke(finalized);
        }

        return block;
    }

    /// <summary>Produces <paramref name="count"/> blocks and returns the last.</summary>
    public BlockInfo ProduceBlocks(int count)
    {
        var last = Best;
        for (var i = 0; i < count; i++)
        {
            last = ProduceBlock();
        }

        return last;
    }

    /// <summary>Sets the mean job submissions per block from the next block on (leaving any workload profile).</summary>
    public void SetArrivalRate(double jobsPerBlock) => Queue(_ =>
    {
        _workload.SetProfile(null);
        _workload.ArrivalRate = jobsPerBlock;
    });

    /// <summary>Follows <paramref name="profile"/> from the next block on, its clock starting at 0 (null: the arrival rate).</summary>
    public void SetWorkload(WorkloadProfile? profile)
    {
        if (profile?.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(profile));
        }

        Queue(_ => _workload.SetProfile(profile));
    }

    /// <summary>The workload profile's phase for the next block, or null when the chain runs at a constant rate.</summary>
    public WorkloadPhase? CurrentPhase => Read(() => _workload.CurrentPhase);

    /// <summary>
    /// Registers <paramref name="count"/> Active GPUs of the provider named <paramref name="provider"/> in the next
    /// block, remembered under <paramref name="group"/> (e.g. a cloud instance's FID) so that
    /// <see cref="RemoveProviderGpus"/> takes them away together. The burst loop calls this when an instance
    /// reaches <c>STATUS_RUNNING</c>. A provider holds at most 100 GPUs (the pallet's bound); more are not registered.
    /// </summary>
    public void AddProviderGpus(string provider, string group, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Queue(b => _workload.AddProviderGpus(b, provider, group, count));
    }

    /// <summary>
    /// Unregisters, in the next block, the GPUs added under <paramref name="group"/> (nothing if none): the instance
    /// was paused, cancelled or preempted. A job running on one of them fails, its worker being gone.
    /// </summary>
    public void RemoveProviderGpus(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        Queue(b => _workload.RemoveProviderGpus(b, group));
    }

    /// <summary>GPUs registered to the provider named <paramref name="provider"/> as of the best block.</summary>
    public int ProviderGpuCount(string provider) => Read(() => _workload.ProviderGpuCount(provider));

    /// <summary>The account of the provider named <paramref name="provider"/> (its GPUs' owner on chain).</summary>
    public static byte[] ProviderAccount(string provider) => DevAccounts.NamedProvider(provider);

    /// <summary>Registers GPUs in the next block.</summary>
    public void AddGpus(int count) => Queue(b => _workload.AddGpus(b, count));

    /// <summary>Unregisters idle GPUs in the next block.</summary>
    public void RemoveGpus(int count) => Queue(b => _workload.RemoveGpus(b, count));

    /// <summary>
    /// Upgrades the runtime in the next block: spec_version + 1 and a field (<c>assigned_at</c>)
    /// appended to <c>Job</c>, with every job migrated to the new layout.
    /// </summary>
    public void UpgradeRuntime() => Queue(UpgradeAction);

    /// <summary>
    /// Makes <c>JobMarketplace.NextJobId</c> announce <paramref name="value"/> from the next block on
    /// (null: the true value again), as a hostile or broken node would; for robustness tests.
    /// </summary>
    public void OverrideNextJobId(ulong? value)
    {
        _lock.EnterWriteLock();
        try
        {
            _nextJobIdOverride = value;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void AnnounceOverride(BlockBuilder builder)
    {
        if (_nextJobIdOverride is { } hostile)
        {
            builder.Write(StorageKeys.NextJobId, RuntimeCodec.EncodeU64(hostile));
        }
    }

    /// <summary>
    /// <c>dispute_job</c> in the next block: a completed job becomes disputed, with the pallet's event (nothing
    /// happens when the job is not completed by then).
    /// </summary>
    public void DisputeJob(ulong jobId) => Queue(b =>
    {
        var job = _workload.Jobs[(int)jobId];
        if (job.Status == DevJobStatus.Completed)
        {
            job.Status = DevJobStatus.Disputed;
            b.Events.Add(RuntimeCodec.JobDisputed(b.NextExtrinsic(), jobId));
            b.WriteJob(job);
        }
    });

    /// <summary>
    /// Changes a finished job's status in the next block without any event, as no pallet call does: a value the
    /// follower cannot see change, which only its verification finds (planted drift, for tests). The ground truth follows.
    /// </summary>
    public void ChangeJobSilently(ulong jobId, DevJobStatus status) => Queue(b =>
    {
        var job = _workload.Jobs[(int)jobId];
        job.Status = status;
        b.WriteJob(job);
    });

    /// <summary>Asks the RPC server to drop every connection now.</summary>
    public void DropConnections() => ConnectionsDropRequested?.Invoke();

    /// <summary>Properties as <c>system_properties</c> returns them.</summary>
    public static IReadOnlyDictionary<string, object> Properties { get; } = new Dictionary<string, object>
    {
        ["ss58Format"] = (int)AiComputeRuntime.Ss58Prefix,
        ["tokenDecimals"] = 18,
        ["tokenSymbol"] = "ËDSC",
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_producer is not null)
        {
            try
            {
                await _producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _stopping.Dispose();
        _lock.Dispose();
    }

    private void UpgradeAction(BlockBuilder builder)
    {
        var current = _runtimes[^1];
        var next = AiComputeRuntime.Create(Math.Min(current.Runtime.Layout + 1, 2));
        _runtimes.Add((builder.Number, next, current.SpecVersion + 1));
        builder.Layout = next.Layout;
        _workload.RewriteAllJobs(builder);
        builder.Events.Add(RuntimeCodec.CodeUpdated(builder.NextExtrinsic()));
        LogUpgraded(current.SpecVersion + 1, builder.Number);
    }

    private void Queue(Action<BlockBuilder> action)
    {
        _lock.EnterWriteLock();
        try
        {
            _queued.Add(action);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private async Task ProduceLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(_options.BlockTime, _time, stopping).ConfigureAwait(false);
            try
            {
                var block = ProduceBlock();
                LogBlock(block.Number, block.Hash);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogProduceFailed(e);
            }
        }
    }

    private BlockInfo Seal(BlockBuilder builder)
    {
        var number = builder.Number;
        var parentHash = number == 0 ? new byte[32] : Hex.Decode(_blocks[^1].Hash);
        var events = new List<DevEvent>(builder.Events.Count + 1) { RuntimeCodec.ExtrinsicSuccess(0, 5_000_000) };
        events.AddRange(builder.Events);
        builder.Write(StorageKeys.SystemNumber, RuntimeCodec.EncodeU32(number));
        builder.Write(StorageKeys.SystemEvents, RuntimeCodec.EncodeEvents(events));
        builder.Write(StorageKeys.TimestampNow, RuntimeCodec.EncodeU64(GenesisTimestampMs + ((ulong)number * 6000)));
        if (number > 0)
        {
            builder.Write(StorageKeys.BlockHash(number - 1), parentHash);
        }

        foreach (var (key, value) in builder.Writes)
        {
            _storage.Set(key, value, number);
        }

        _storage.CommitKeys();

        var block = Header(number, parentHash, "");
        _blocks.Add(block);
        _numbersByHash[block.Hash] = number;
        return block;
    }

    // A block's header and hash; a side branch's blocks differ from the canonical ones by the salt in their roots.
    private BlockInfo Header(uint number, byte[] parentHash, string salt)
    {
        // Roots are stand-ins (no trie), but deterministic and distinct per block.
        var stateRoot = Blake2b.Hash([.. _seedBytes, .. BitConverter.GetBytes(number), .. "state"u8, .. System.Text.Encoding.UTF8.GetBytes(salt)], 32);
        var extrinsicsRoot = Blake2b.Hash([.. _seedBytes, .. BitConverter.GetBytes(number), .. "extrinsics"u8, .. System.Text.Encoding.UTF8.GetBytes(salt)], 32);
        var digest = new ScaleWriter(16).WriteU8(6).WriteBytes("aura"u8).WriteByteVector(RuntimeCodec.EncodeU64(number + 1_000_000UL)).ToArray();
        var header = new ScaleWriter(160)
            .WriteBytes(parentHash).WriteCompact(number).WriteBytes(stateRoot).WriteBytes(extrinsicsRoot)
            .WriteCompact(1).WriteBytes(digest)
            .ToArray();
        var hash = Hex.Encode(Blake2b.Hash(header, 32));
        return new BlockInfo(number, hash, Hex.Encode(parentHash), Hex.Encode(stateRoot), Hex.Encode(extrinsicsRoot), Hex.Encode(digest), RuntimeEntryAt(number).SpecVersion);
    }

    private (uint FromBlock, AiComputeRuntime Runtime, uint SpecVersion) RuntimeEntryAt(uint number)
    {
        for (var i = _runtimes.Count - 1; i > 0; i--)
        {
            if (_runtimes[i].FromBlock <= number)
            {
                return _runtimes[i];
            }
        }

        return _runtimes[0];
    }

    private void EnsureStateKept(BlockInfo at)
    {
        var best = (uint)_blocks.Count - 1;
        var number = ForkOf(at) is { } fork ? fork.Point : at.Number;
        if (best > number && best - number > (uint)_options.HistoryDepth)
        {
            throw new StateDiscardedException($"State already discarded for {at.Hash} (block {at.Number}; best is {best}, {_options.HistoryDepth} blocks of history are kept)");
        }
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static JobRecord Clone(JobRecord j) => new()
    {
        Id = j.Id,
        Submitter = j.Submitter,
        ModelId = j.ModelId,
        ModelType = j.ModelType,
        InputHash = j.InputHash,
        OutputFormat = j.OutputFormat,
        MaxComputeTime = j.MaxComputeTime,
        Payment = j.Payment,
        Priority = j.Priority,
        Status = j.Status,
        AssignedGpu = j.AssignedGpu,
        ResultHash = j.ResultHash,
        SubmittedAt = j.SubmittedAt,
        CompletedAt = j.CompletedAt,
        AssignedAt = j.AssignedAt,
    };

    private static GpuRecord Clone(GpuRecord g) => new()
    {
        Id = g.Id,
        Provider = g.Provider,
        Model = g.Model,
        VramGb = g.VramGb,
        ComputeUnits = g.ComputeUnits,
        ClockSpeedMhz = g.ClockSpeedMhz,
        TdpWatts = g.TdpWatts,
        TpmQuote = g.TpmQuote,
        BenchmarkScore = g.BenchmarkScore,
        AttestationTimestamp = g.AttestationTimestamp,
        Stake = g.Stake,
        Status = g.Status,
        JobsCompleted = g.JobsCompleted,
        JobsFailed = g.JobsFailed,
        UptimeBps = g.UptimeBps,
        Rating = g.Rating,
        RatingCount = g.RatingCount,
        ScheduleKind = g.ScheduleKind,
        CustomSchedule = g.CustomSchedule,
        RegisteredAt = g.RegisteredAt,
        LastHeartbeat = g.LastHeartbeat,
    };

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Produced block {Number} {Hash}")]
    private partial void LogBlock(uint number, string hash);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Producing a block failed")]
    private partial void LogProduceFailed(Exception error);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Runtime upgraded to spec version {SpecVersion} at block {Number}")]
    private partial void LogUpgraded(uint specVersion, uint number);
}
