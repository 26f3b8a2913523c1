using Etrid.DevChain.Runtime;
using Etrid.DevChain.Workloads;

namespace Etrid.DevChain.Chain;

/// <summary>
/// The seeded AI-compute market behind the dev chain: GPUs register and change status, jobs arrive
/// at a set rate, are assigned to free Active GPUs, and complete, fail, are disputed or cancelled,
/// each change emitting the pallet's event, with pallet times of block × 6. Bounded vectors keep the
/// pallets' bounds: a submission beyond 10 000 pending jobs is refused as the pallet would.
/// </summary>
internal sealed class Workload
{
    public const int MaxPendingJobs = 10000;
    public const int MaxUserJobs = 1000;
    public const int MaxGpuJobs = 100;
    public const int MaxProviderGpus = 100;

    private static readonly UInt128 Edsc = UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    private readonly Random _random;
    private readonly List<JobRecord> _jobs = [];
    private readonly List<ulong> _pending = [];
    private readonly Dictionary<ulong, uint> _finishAt = [];
    private readonly SortedDictionary<ulong, GpuRecord> _gpus = [];
    private readonly Dictionary<ulong, ulong> _busyGpus = [];
    private readonly Dictionary<string, List<ulong>> _providerGpus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ulong>> _userJobs = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<ulong>> _gpuJobs = [];
    private readonly List<byte[]> _providers = [];
    private readonly int _userCount;
    private readonly int _historyBlocks;
    private readonly int _palletSecondsPerBlock;
    private readonly bool _popularity;

    // Separate streams, so the classic workload draws exactly what it always did when these are off.
    private readonly Random _past;
    private readonly Random _spread;
    private readonly Dictionary<string, double> _providerWeights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ulong>> _groups = new(StringComparer.Ordinal);
    private long _liveBlocks;
    private ulong _nextGpuId;
    private ulong _activeGpuCount;
    private ulong _totalJobs;
    private UInt128 _totalVolume;

    public Workload(DevChainOptions options)
    {
        _random = new Random(options.Seed);
        ArrivalRate = options.ArrivalRate;
        Profile = options.Workload;
        _historyBlocks = options.HistoryBlocks;
        _palletSecondsPerBlock = options.PalletSecondsPerBlock;
        _popularity = options.ProviderPopularity;
        _past = new Random(unchecked((options.Seed * 7919) + 11));
        _spread = new Random(unchecked((options.Seed * 104_729) + 13));
        _userCount = Math.Max(16, (options.Jobs / 800) + 1);
        var providers = options.Providers > 0 ? options.Providers : Math.Max(1, (options.Gpus + 3) / 4);
        for (var i = 0; i < providers; i++)
        {
            _providers.Add(DevAccounts.Provider(i));
        }
    }

    /// <summary>Mean job submissions per block.</summary>
    public double ArrivalRate { get; set; }

    /// <summary>The arrival-rate profile of live blocks, or null for <see cref="ArrivalRate"/>.</summary>
    public WorkloadProfile? Profile { get; private set; }

    /// <summary>False while the history blocks are produced; live blocks follow the profile.</summary>
    public bool Live { get; set; }

    /// <summary>The profile's phase of the next live block, or null without a profile.</summary>
    public WorkloadPhase? CurrentPhase => Profile?.PhaseAt(_liveBlocks);

    /// <summary>Follows <paramref name="profile"/> from the next block, its clock restarting at 0 (null: <see cref="ArrivalRate"/>).</summary>
    public void SetProfile(WorkloadProfile? profile)
    {
        Profile = profile;
        _liveBlocks = 0;
    }

    public IReadOnlyList<JobRecord> Jobs => _jobs;

    public IEnumerable<GpuRecord> Gpus => _gpus.Values;

    public IReadOnlyList<ulong> Pending => _pending;

    /// <summary>Writes the genesis state: GPUs spread over providers, jobs in every status.</summary>
    public void Genesis(BlockBuilder block, int gpus, int jobs)
    {
        for (var i = 0; i < gpus; i++)
        {
            var roll = _random.NextDouble();
            var status = roll < 0.8 ? DevGpuStatus.Active : roll < 0.9 ? DevGpuStatus.Paused : roll < 0.97 ? DevGpuStatus.Offline : DevGpuStatus.Slashed;
            RegisterGpu(block, _providers[i % _providers.Count], status, emit: false);
        }

        var freeActive = _gpus.Values.Where(g => g.Status == DevGpuStatus.Active).Select(g => g.Id).ToList();
        var gpuIds = _gpus.Keys.ToList();
        var processing = Math.Min(jobs * 3 / 100, freeActive.Count);
        var pending = Math.Min(jobs * 2 / 100, MaxPendingJobs);
        for (var i = 0; i < jobs; i++)
        {
            var finished = i >= pending + processing;
            var (submittedAt, completedAt) = finished && _historyBlocks > 0 ? PastTimes() : (block.PalletTime, block.PalletTime);
            var job = NewJob(block, (ulong)i, submittedAt);
            if (i < pending)
            {
                _pending.Add(job.Id);
            }
            else if (i < pending + processing)
            {
                Assign(block, job, freeActive[i - pending], emit: false);
            }
            else
            {
                var roll = _random.NextDouble();
                if (roll >= 0.91 || gpuIds.Count == 0)
                {
                    job.Status = DevJobStatus.Cancelled;
                }
                else
                {
                    var gpuId = gpuIds[_random.Next(gpuIds.Count)];
                    job.AssignedGpu = gpuId;
                    AddGpuJob(gpuId, job.Id);
                    job.Status = roll < 0.80 ? DevJobStatus.Completed : roll < 0.88 ? DevJobStatus.Failed : DevJobStatus.Disputed;
                    job.CompletedAt = completedAt;
                    job.ResultHash = job.Status == DevJobStatus.Failed ? null : RandomHash();
                }
            }

            block.WriteJob(job);
        }

        WriteJobIndexes(block, _userJobs.Keys, _gpuJobs.Keys);
        WriteCounters(block);
    }

    /// <summary>Advances the market by one block.</summary>
    public void Advance(BlockBuilder block)
    {
        var dirtyUsers = new HashSet<string>(StringComparer.Ordinal);
        var dirtyGpuJobs = new HashSet<ulong>();

        // Running jobs finish: most complete, some fail.
        foreach (var (jobId, finish) in _finishAt.Where(p => p.Value <= block.Number).OrderBy(p => p.Key).ToList())
        {
            var job = _jobs[(int)jobId];
            _finishAt.Remove(jobId);
            _busyGpus.Remove(job.AssignedGpu!.Value);
            job.CompletedAt = block.PalletTime;
            if (_random.NextDouble() < 0.1)
            {
                job.Status = DevJobStatus.Failed;
                block.Events.Add(RuntimeCodec.JobFailed(block.NextExtrinsic(), job.Id, "worker exited"u8.ToArray()));
            }
            else
            {
                job.Status = DevJobStatus.Completed;
                job.ResultHash = RandomHash();
                block.Events.Add(RuntimeCodec.JobCompleted(block.NextExtrinsic(), job.Id, job.ResultHash));
                if (_random.NextDouble() < 0.5)
                {
                    // confirm_job pays the submitter (sic) and leaves the status as it is.
                    var fee = job.Payment * AiComputeRuntime.PlatformFeeBps / 10000;
                    block.Events.Add(RuntimeCodec.PaymentReleased(block.NextExtrinsic(), job.Id, job.Submitter, job.Payment - fee));
                }
            }

            block.WriteJob(job);
        }

        // Now and then a completed job is disputed, or the oldest pending job is cancelled.
        if (_jobs.Count > 0 && _random.NextDouble() < 0.05)
        {
            var candidate = _jobs[_random.Next(_jobs.Count)];
            if (candidate.Status == DevJobStatus.Completed)
            {
                candidate.Status = DevJobStatus.Disputed;
                block.Events.Add(RuntimeCodec.JobDisputed(block.NextExtrinsic(), candidate.Id));
                block.WriteJob(candidate);
            }
        }

        if (_pending.Count > 0 && _random.NextDouble() < 0.02)
        {
            var job = _jobs[(int)_pending[0]];
            _pending.RemoveAt(0);
            job.Status = DevJobStatus.Cancelled;
            block.Events.Add(RuntimeCodec.JobCancelled(block.NextExtrinsic(), job.Id));
            block.WriteJob(job);
        }

        // New submissions, at the profile's rate once live.
        var rate = ArrivalRate;
        if (Live && Profile is not null)
        {
            rate = Profile.RateAt(_liveBlocks++);
        }

        var arrivals = Poisson(rate);
        for (var i = 0; i < arrivals && _pending.Count < MaxPendingJobs; i++)
        {
            var job = NewJob(block, (ulong)_jobs.Count);
            _pending.Add(job.Id);
            dirtyUsers.Add(Convert.ToHexStringLower(job.Submitter));
            block.Events.Add(RuntimeCodec.JobSubmitted(block.NextExtrinsic(), job.Id, job.Submitter, job.Payment));
            block.WriteJob(job);
        }

        // GPU churn: a status change, a registration, an unregistration, a heartbeat without event.
        if (_gpus.Count > 0 && _random.NextDouble() < 0.03)
        {
            var gpu = _gpus.ElementAt(_random.Next(_gpus.Count)).Value;
            if (!_busyGpus.ContainsKey(gpu.Id) && gpu.Status != DevGpuStatus.Slashed)
            {
                gpu.Status = gpu.Status == DevGpuStatus.Active ? (_random.NextDouble() < 0.5 ? DevGpuStatus.Paused : DevGpuStatus.Offline) : DevGpuStatus.Active;
                block.Events.Add(RuntimeCodec.GpuStatusUpdated(block.NextExtrinsic(), gpu.Id, gpu.Status));
                block.WriteGpu(gpu);
            }
        }

        if (_random.NextDouble() < 0.005)
        {
            RegisterGpu(block, _providers[_random.Next(_providers.Count)], DevGpuStatus.Active, emit: true);
        }

        if (_gpus.Count > 1 && _random.NextDouble() < 0.003)
        {
            var gpu = _gpus.ElementAt(_random.Next(_gpus.Count)).Value;
            if (!_busyGpus.ContainsKey(gpu.Id))
            {
                UnregisterGpu(block, gpu);
            }
        }

        if (_gpus.Count > 0)
        {
            var gpu = _gpus.ElementAt(_random.Next(_gpus.Count)).Value;
            gpu.LastHeartbeat = block.PalletTime;
            block.WriteGpu(gpu);
        }

        // Assignment (Root's assign_job): pending jobs in order onto free Active GPUs (by popularity if asked).
        var free = _gpus.Values.Where(g => g.Status == DevGpuStatus.Active && !_busyGpus.ContainsKey(g.Id)).ToList();
        foreach (var gpu in _popularity ? ByPopularity(free, _pending.Count) : free)
        {
            if (_pending.Count == 0)
            {
                break;
            }

            var job = _jobs[(int)_pending[0]];
            _pending.RemoveAt(0);
            Assign(block, job, gpu.Id, emit: true);
            dirtyGpuJobs.Add(gpu.Id);
            block.WriteJob(job);
        }

        WriteJobIndexes(block, dirtyUsers, dirtyGpuJobs);
        WriteCounters(block);
    }

    /// <summary>Registers <paramref name="count"/> Active GPUs over the existing providers.</summary>
    public void AddGpus(BlockBuilder block, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var provider = _providers.FirstOrDefault(p => ProviderList(p).Count < MaxProviderGpus);
            if (provider is null)
            {
                provider = DevAccounts.Provider(_providers.Count);
                _providers.Add(provider);
            }

            RegisterGpu(block, provider, DevGpuStatus.Active, emit: true);
        }

        WriteCounters(block);
    }

    /// <summary>Unregisters up to <paramref name="count"/> idle GPUs, newest first.</summary>
    public void RemoveGpus(BlockBuilder block, int count)
    {
        foreach (var gpu in _gpus.Values.Reverse().Where(g => !_busyGpus.ContainsKey(g.Id)).Take(count).ToList())
        {
            UnregisterGpu(block, gpu);
        }

        WriteCounters(block);
    }

    /// <summary>
    /// Registers <paramref name="count"/> Active GPUs of the named provider, remembered under <paramref name="group"/>
    /// (e.g. a cloud instance) so they can leave together. A provider holds at most 100 GPUs, as the pallet bounds it:
    /// GPUs beyond that are not registered.
    /// </summary>
    public void AddProviderGpus(BlockBuilder block, string provider, string group, int count)
    {
        var account = DevAccounts.NamedProvider(provider);
        if (!_groups.TryGetValue(group, out var ids))
        {
            _groups[group] = ids = [];
        }

        for (var i = 0; i < count && ProviderList(account).Count < MaxProviderGpus; i++)
        {
            ids.Add(RegisterGpu(block, account, DevGpuStatus.Active, emit: true).Id);
        }

        WriteCounters(block);
    }

    /// <summary>
    /// Unregisters the GPUs remembered under <paramref name="group"/>. A job running on one of them fails (its
    /// worker is gone), as it would when a cloud instance is paused or preempted.
    /// </summary>
    public void RemoveProviderGpus(BlockBuilder block, string group)
    {
        if (!_groups.Remove(group, out var ids))
        {
            return;
        }

        foreach (var id in ids)
        {
            if (!_gpus.TryGetValue(id, out var gpu))
            {
                continue;
            }

            if (_busyGpus.Remove(id, out var jobId))
            {
                var job = _jobs[(int)jobId];
                _finishAt.Remove(jobId);
                job.Status = DevJobStatus.Failed;
                job.CompletedAt = block.PalletTime;
                block.Events.Add(RuntimeCodec.JobFailed(block.NextExtrinsic(), job.Id, "instance stopped"u8.ToArray()));
                block.WriteJob(job);
            }

            UnregisterGpu(block, gpu);
        }

        WriteCounters(block);
    }

    /// <summary>Registered GPUs of the named provider.</summary>
    public int ProviderGpuCount(string provider) =>
        _providerGpus.TryGetValue(Convert.ToHexStringLower(DevAccounts.NamedProvider(provider)), out var list) ? list.Count : 0;

    /// <summary>Re-encodes every job (a runtime upgrade's migration).</summary>
    public void RewriteAllJobs(BlockBuilder block)
    {
        foreach (var job in _jobs)
        {
            block.WriteJob(job);
        }
    }

    private JobRecord NewJob(BlockBuilder block, ulong id, ulong? submittedAt = null)
    {
        var submitter = DevAccounts.User(_random.Next(_userCount));
        var job = new JobRecord
        {
            Id = id,
            Submitter = submitter,
            ModelId = (ulong)_random.Next(1, 50),
            ModelType = (byte)_random.Next(0, 6),
            InputHash = RandomHash(),
            MaxComputeTime = (uint)_random.Next(60, 3600),
            Payment = Edsc * (ulong)_random.Next(1, 100) / 10 + (ulong)_random.Next(0, 1_000_000),
            Priority = (byte)_random.Next(0, 3),
            Status = DevJobStatus.Pending,
            SubmittedAt = submittedAt ?? block.PalletTime,
        };
        _jobs.Add(job);
        _totalJobs++;
        _totalVolume += job.Payment;
        var userJobs = UserList(submitter);
        if (userJobs.Count < MaxUserJobs)
        {
            userJobs.Add(id);
        }

        return job;
    }

    private void Assign(BlockBuilder block, JobRecord job, ulong gpuId, bool emit)
    {
        job.Status = DevJobStatus.Processing;
        job.AssignedGpu = gpuId;
        if (block.Layout >= 2)
        {
            job.AssignedAt = block.PalletTime;
        }

        _busyGpus[gpuId] = job.Id;
        _finishAt[job.Id] = block.Number + (uint)_random.Next(2, 20);
        AddGpuJob(gpuId, job.Id);
        if (emit)
        {
            block.Events.Add(RuntimeCodec.JobAssigned(block.NextExtrinsic(), job.Id, gpuId));
        }
    }

    private void AddGpuJob(ulong gpuId, ulong jobId)
    {
        if (!_gpuJobs.TryGetValue(gpuId, out var list))
        {
            _gpuJobs[gpuId] = list = [];
        }

        // The pallet's GpuJobs is bounded at 100 and never shrinks; past the bound the dev chain stops recording.
        if (list.Count < MaxGpuJobs)
        {
            list.Add(jobId);
        }
    }

    private GpuRecord RegisterGpu(BlockBuilder block, byte[] provider, DevGpuStatus status, bool emit)
    {
        var gpu = new GpuRecord
        {
            Id = _nextGpuId++,
            Provider = provider,
            Model = _random.NextDouble() < 0.5 ? "A100" : "H100",
            VramGb = 80,
            Status = status,
            RegisteredAt = block.PalletTime,
            LastHeartbeat = block.PalletTime,
            ScheduleKind = (byte)(_random.NextDouble() < 0.9 ? 0 : 1),
        };
        _gpus[gpu.Id] = gpu;
        _activeGpuCount++;
        ProviderList(provider).Add(gpu.Id);
        block.WriteGpu(gpu);
        block.Write(StorageKeys.ProviderGpus(provider), RuntimeCodec.EncodeIdList(ProviderList(provider)));
        if (emit)
        {
            block.Events.Add(RuntimeCodec.GpuRegistered(block.NextExtrinsic(), gpu.Id, provider, gpu.Stake));
        }

        return gpu;
    }

    private void UnregisterGpu(BlockBuilder block, GpuRecord gpu)
    {
        _gpus.Remove(gpu.Id);
        _activeGpuCount--;
        var list = ProviderList(gpu.Provider);
        list.Remove(gpu.Id);
        block.Write(StorageKeys.GpuNode(gpu.Id), null);
        block.Write(StorageKeys.ProviderGpus(gpu.Provider), list.Count == 0 ? null : RuntimeCodec.EncodeIdList(list));
        block.Events.Add(RuntimeCodec.GpuUnregistered(block.NextExtrinsic(), gpu.Id, gpu.Provider));
    }

    private void WriteJobIndexes(BlockBuilder block, IEnumerable<string> users, IEnumerable<ulong> gpus)
    {
        foreach (var user in users)
        {
            block.Write(StorageKeys.UserJobs(Convert.FromHexString(user)), RuntimeCodec.EncodeIdList(_userJobs[user]));
        }

        foreach (var gpuId in gpus)
        {
            block.Write(StorageKeys.GpuJobs(gpuId), RuntimeCodec.EncodeIdList(_gpuJobs[gpuId]));
        }
    }

    private void WriteCounters(BlockBuilder block)
    {
        block.Write(StorageKeys.PendingJobs, RuntimeCodec.EncodeIdList(_pending));
        block.Write(StorageKeys.NextJobId, RuntimeCodec.EncodeU64((ulong)_jobs.Count));
        block.Write(StorageKeys.TotalJobs, RuntimeCodec.EncodeU64(_totalJobs));
        block.Write(StorageKeys.TotalVolume, RuntimeCodec.EncodeU128(_totalVolume));
        block.Write(StorageKeys.NextGpuId, RuntimeCodec.EncodeU64(_nextGpuId));
        block.Write(StorageKeys.ActiveGpuCount, RuntimeCodec.EncodeU64(_activeGpuCount));
    }

    private List<ulong> ProviderList(byte[] provider)
    {
        var key = Convert.ToHexStringLower(provider);
        if (!_providerGpus.TryGetValue(key, out var list))
        {
            _providerGpus[key] = list = [];
        }

        return list;
    }

    private List<ulong> UserList(byte[] user)
    {
        var key = Convert.ToHexStringLower(user);
        if (!_userJobs.TryGetValue(key, out var list))
        {
            _userJobs[key] = list = [];
        }

        return list;
    }

    /// <summary>
    /// A finished genesis job's (submitted, completed) pallet times within the history blocks: completion
    /// spread evenly over the past, a run of 2–19 blocks as live jobs have, and a short queue wait before it.
    /// </summary>
    private (ulong SubmittedAt, ulong CompletedAt) PastTimes()
    {
        var completed = _past.Next(1, _historyBlocks + 1);
        var run = _past.Next(2, 20);
        var wait = (int)Math.Min(50, -2.0 * Math.Log(1.0 - _past.NextDouble()));
        var submitted = Math.Max(0, completed - run - wait);
        return ((ulong)submitted * (ulong)_palletSecondsPerBlock, (ulong)completed * (ulong)_palletSecondsPerBlock);
    }

    /// <summary>
    /// Up to <paramref name="take"/> of the free GPUs, drawn one by one with a probability proportional to their
    /// provider's seeded popularity (log-uniform between 0.1 and 10), so busy providers and idle ones coexist.
    /// </summary>
    private List<GpuRecord> ByPopularity(List<GpuRecord> free, int take)
    {
        // Past a few hundred free GPUs the draw costs more than it shows: plain order then.
        if (take <= 0 || free.Count > 512)
        {
            return free;
        }

        var pool = new List<GpuRecord>(free);
        var weights = pool.Select(g => Weight(g.Provider)).ToList();
        var chosen = new List<GpuRecord>(Math.Min(take, pool.Count));
        while (chosen.Count < take && pool.Count > 0)
        {
            var total = weights.Sum();
            var x = _spread.NextDouble() * total;
            var i = 0;
            while (i < pool.Count - 1 && x >= weights[i])
            {
                x -= weights[i];
                i++;
            }

            chosen.Add(pool[i]);
            pool.RemoveAt(i);
            weights.RemoveAt(i);
        }

        return chosen;
    }

    private double Weight(byte[] provider)
    {
        var key = Convert.ToHexStringLower(provider);
        if (!_providerWeights.TryGetValue(key, out var weight))
        {
            _providerWeights[key] = weight = Math.Pow(10, (_spread.NextDouble() * 2) - 1);
        }

        return weight;
    }

    private byte[] RandomHash()
    {
        var hash = new byte[32];
        _random.NextBytes(hash);
        return hash;
    }

    private int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            // Normal approximation for large rates.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = _random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= _random.NextDouble();
        }

        return k;
    }
}
