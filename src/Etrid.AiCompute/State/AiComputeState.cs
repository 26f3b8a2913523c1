using System.Numerics;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.State;

/// <summary>
/// The follower's working copy of the chain: jobs by id, registered GPUs, and running tallies kept
/// up to date as single jobs change, so that figures cost what the pending, running and recent jobs
/// cost, not what the whole history costs. GPU→provider pairs live in a <see cref="ProviderDirectory"/>
/// that outlives the state. Times are pallet seconds. Owned by one thread (the follower); snapshots
/// are what others read.
/// </summary>
public sealed class AiComputeState
{
    private readonly JobTable _jobs;
    private readonly Dictionary<ulong, GpuNode> _gpus = [];
    private readonly ProviderDirectory _directory;
    private readonly long[] _statusCounts = new long[Enum.GetValues<JobStatus>().Length];
    private readonly HashSet<ulong> _pending = [];
    private readonly HashSet<ulong> _processing = [];
    private readonly Dictionary<ulong, (long Completed, BigInteger Earned)> _tally = [];
    // Completions within the duration window, summed by completion time: a window holds few distinct
    // times (one a block) however many jobs completed in it.
    private readonly SortedDictionary<ulong, (double DurationSum, long Count)> _finished = [];
    private readonly Queue<(ulong At, ulong JobId)> _assignments = new();

    // Per-provider working arrays reused from block to block (at one GPU a provider the earnings array
    // alone is on the large object heap), and the figures last given out: an unchanged provider's
    // figures are the same object in the next snapshot, so a block makes garbage only for what changed.
    private int[] _registered = [];
    private int[] _activeGpus = [];
    private int[] _busyGpus = [];
    private long[] _completed = [];
    private PlanckSum[] _earned = [];
    private ProviderFigures?[] _lastFigures = [];

    // Running sums, so figures cost what changed rather than what the history holds.
    private double _pendingSubmittedSum;
    private ulong _windowStart;
    private double _durationSum;
    private long _durationCount;

    public AiComputeState(ushort platformFeeBps, ProviderDirectory directory, int decimals, int maxJobs = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(directory);
        PlatformFeeBps = platformFeeBps;
        _directory = directory;
        Decimals = decimals;
        _jobs = new JobTable(maxJobs);
    }

    public ushort PlatformFeeBps { get; }

    public int Decimals { get; }

    /// <summary>The GPU→provider directory this state attributes completions with.</summary>
    public ProviderDirectory Directory => _directory;

    /// <summary>Jobs present.</summary>
    public int JobCount => _jobs.Count;

    /// <summary>One more than the highest job id known: where new ids are expected.</summary>
    public ulong NextExpectedJobId => _jobs.End;

    /// <summary>The <c>PendingJobs</c> list as stored.</summary>
    public IReadOnlyList<ulong> PendingList { get; set; } = [];

    public Job? GetJob(ulong id) => _jobs.Get(id).ToJob(id);

    /// <summary>Ids of the jobs present, in no particular order.</summary>
    public IEnumerable<ulong> JobIds => _jobs.Ids;

    /// <summary>Sizes the job table once for the ids a full sync listed, before their values are set.</summary>
    public void ReserveJobs(IReadOnlyCollection<ulong> ids) => _jobs.Reserve(ids);

    /// <summary>Gives back the job table's spare room (after a full sync).</summary>
    public void TrimExcess() => _jobs.TrimExcess();

    public IReadOnlyDictionary<ulong, GpuNode> Gpus => _gpus;

    /// <summary>Records a job's current value (null: absent), updating every tally it counts in.</summary>
    /// <exception cref="JobLimitException">The job would exceed the configured maximum.</exception>
    public void SetJob(ulong id, Job? job)
    {
        var old = _jobs.Get(id).ToJob(id);
        _jobs.Set(id, JobSlot.From(job));
        if (old is { } o)
        {
            Count(o, -1);
        }

        if (job is { } j)
        {
            Count(j, +1);
        }
    }

    /// <summary>Records a GPU's current value (null: unregistered); its provider is remembered either way.</summary>
    public void SetGpu(ulong id, GpuNode? gpu)
    {
        if (gpu is null)
        {
            _gpus.Remove(id);
            return;
        }

        _gpus[id] = gpu;
        _directory.Remember(id, gpu.Provider);
    }

    /// <summary>Records a <c>JobAssigned</c> event at pallet time <paramref name="at"/>, for the wait figure's window.</summary>
    public void RecordAssignment(ulong at, ulong jobId) => _assignments.Enqueue((at, jobId));

    /// <summary>Every figure at pallet time <paramref name="now"/> with a window of <paramref name="windowSeconds"/>.</summary>
    public ChainFigures Compute(ulong now, ulong windowSeconds)
    {
        var windowStart = now > windowSeconds ? now - windowSeconds : 0;
        while (_assignments.Count > 0 && _assignments.Peek().At < windowStart)
        {
            _assignments.Dequeue();
        }

        // Wait: pending jobs so far (count × now − Σ submitted_at), and jobs assigned within the window when assigned.
        var pendingCount = _pending.Count;
        var waitSum = (pendingCount * (double)now) - _pendingSubmittedSum;
        long waitCount = pendingCount;
        foreach (var (at, jobId) in _assignments)
        {
            if (at >= windowStart && GetJob(jobId) is { } job)
            {
                waitSum += at > job.SubmittedAt ? at - job.SubmittedAt : 0;
                waitCount++;
            }
        }

        // Duration: completed (or since disputed) jobs that finished within the window; the window's sums
        // move forward by dropping what fell out of it.
        AdvanceWindow(windowStart);
        var durationSum = _durationSum;
        var durationCount = _durationCount;

        var gpusByStatus = Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 0L);
        var busyByGpu = new Dictionary<ulong, int>();
        foreach (var id in _processing)
        {
            if (GetJob(id)?.AssignedGpu is { } gpu)
            {
                busyByGpu[gpu] = busyByGpu.GetValueOrDefault(gpu) + 1;
            }
        }

        // Providers are numbered as first seen, so the per-block aggregation is array work.
        var count = _directory.ProviderCount;
        var registered = Scratch(ref _registered, count);
        var activeGpus = Scratch(ref _activeGpus, count);
        var busyGpus = Scratch(ref _busyGpus, count);
        var completed = Scratch(ref _completed, count);
        var earned = Scratch(ref _earned, count);
        if (_lastFigures.Length < count)
        {
            Array.Resize(ref _lastFigures, count);
        }

        foreach (var gpu in _gpus.Values)
        {
            gpusByStatus[gpu.Status]++;
            _directory.TryGetProvider(gpu.Id, out var p);
            registered[p]++;
            if (gpu.Status == GpuStatus.Active)
            {
                activeGpus[p]++;
                busyGpus[p] += busyByGpu.GetValueOrDefault(gpu.Id);
            }
        }

        long unattributed = 0;
        foreach (var (gpuId, tally) in _tally)
        {
            if (tally.Completed == 0)
            {
                continue;
            }

            if (_directory.TryGetProvider(gpuId, out var p))
            {
                completed[p] += tally.Completed;
                earned[p].Add(tally.Earned);
            }
            else
            {
                unattributed += tally.Completed;
            }
        }

        var providerFigures = new List<ProviderFigures>(count);
        for (var p = 0; p < count; p++)
        {
            if (registered[p] > 0)
            {
                var utilization = activeGpus[p] == 0 ? 0 : 100.0 * busyGpus[p] / activeGpus[p];
                var tokens = earned[p].ToTokens(Decimals);
                var figures = _lastFigures[p];

                // Compared field by field first: most providers do not change in a block, and a new object
                // for each of them would be garbage at once.
                if (figures is null
                    || figures.RegisteredGpus != registered[p]
                    || figures.ActiveGpus != activeGpus[p]
                    || figures.BusyGpus != busyGpus[p]
                    || !figures.UtilizationPercent.Equals(utilization)
                    || figures.JobsCompleted != completed[p]
                    || !figures.EarningsEdsc.Equals(tokens)
                    || !string.Equals(figures.Address, _directory.Address(p), StringComparison.Ordinal))
                {
                    figures = new ProviderFigures(_directory.Address(p), registered[p], activeGpus[p], busyGpus[p], utilization, completed[p], tokens);
                }

                _lastFigures[p] = figures;
                providerFigures.Add(figures);
            }
        }

        var active = gpusByStatus[GpuStatus.Active];
        var queued = _statusCounts[(int)JobStatus.Pending] + _statusCounts[(int)JobStatus.Processing];
        return new ChainFigures(
            Enum.GetValues<JobStatus>().ToDictionary(s => s, s => _statusCounts[(int)s]),
            waitCount == 0 ? 0 : waitSum / waitCount,
            durationCount == 0 ? double.NaN : durationSum / durationCount,
            providerFigures,
            gpusByStatus,
            active == 0 ? 0 : (double)queued / active,
            PendingList.Count,
            unattributed)
        {
            PendingQueue = PendingQueue(now),
        };
    }

    // A working array of at least count zeroed elements (grown as providers appear, never shrunk).
    private static Span<T> Scratch<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            array = new T[count];
        }

        var span = array.AsSpan(0, count);
        span.Clear();
        return span;
    }

    // The pending jobs are few next to the history: summed afresh at each block.
    private PendingQueueFigures PendingQueue(ulong now)
    {
        if (_pending.Count == 0)
        {
            return PendingQueueFigures.Empty;
        }

        var byPriority = Enum.GetValues<JobPriority>().ToDictionary(p => p, _ => 0L);
        var byModel = Enum.GetValues<ModelType>().ToDictionary(m => m, _ => 0L);
        var payment = BigInteger.Zero;
        ulong maxCompute = 0;
        var oldest = ulong.MaxValue;
        foreach (var id in _pending)
        {
            var job = GetJob(id)!.Value;
            if (job.Priority is { } priority)
            {
                byPriority[priority]++;
            }

            if (job.ModelType is { } model)
            {
                byModel[model]++;
            }

            payment += job.Payment;
            maxCompute += job.MaxComputeSeconds;
            oldest = Math.Min(oldest, job.SubmittedAt);
        }

        return new PendingQueueFigures
        {
            ByPriority = byPriority,
            ByModelType = byModel,
            TotalPaymentPlanck = payment,
            TotalMaxComputeSeconds = maxCompute,
            OldestWaitSeconds = now > oldest ? now - oldest : 0,
        };
    }

    // Completions that fall out of the window leave the set for good: the window only moves forward
    // within one state (a full sync builds a new one), so the set stays as small as the window.
    private void AdvanceWindow(ulong windowStart)
    {
        if (windowStart <= _windowStart)
        {
            return;
        }

        while (_finished.Count > 0 && _finished.First() is { Key: var completedAt, Value: var bucket } && completedAt < windowStart)
        {
            _durationSum -= bucket.DurationSum;
            _durationCount -= bucket.Count;
            _finished.Remove(completedAt);
        }

        _windowStart = windowStart;
    }

    private void Count(Job job, int sign)
    {
        _statusCounts[(int)job.Status] += sign;
        switch (job.Status)
        {
            case JobStatus.Pending:
                Toggle(_pending, job.Id, sign);
                _pendingSubmittedSum += sign * (double)job.SubmittedAt;
                break;
            case JobStatus.Processing:
                Toggle(_processing, job.Id, sign);
                break;
            case JobStatus.Completed or JobStatus.Disputed:
                if (job.AssignedGpu is { } gpu)
                {
                    var t = _tally.GetValueOrDefault(gpu);
                    _tally[gpu] = (t.Completed + sign, t.Earned + (sign * Balance.Earned(job.Payment, PlatformFeeBps)));
                }

                if (job.CompletedAt is { } completedAt && completedAt >= _windowStart)
                {
                    var duration = sign * (completedAt > job.SubmittedAt ? (double)(completedAt - job.SubmittedAt) : 0);
                    var bucket = _finished.GetValueOrDefault(completedAt);
                    bucket = (bucket.DurationSum + duration, bucket.Count + sign);
                    if (bucket.Count == 0)
                    {
                        _finished.Remove(completedAt);
                    }
                    else
                    {
                        _finished[completedAt] = bucket;
                    }

                    _durationSum += duration;
                    _durationCount += sign;
                }

                break;
            default:
                break;
        }
    }

    private static void Toggle(HashSet<ulong> set, ulong id, int sign)
    {
        if (sign > 0)
        {
            set.Add(id);
        }
        else
        {
            set.Remove(id);
        }
    }
}
