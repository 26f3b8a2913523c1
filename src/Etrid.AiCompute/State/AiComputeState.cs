using System.Numerics;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.State;

/// <summary>
/// The follower's working copy of the chain: jobs by id, registered GPUs, and running tallies kept
/// up to date as single jobs change, so that figures cost what the pending, running and recent jobs
/// cost, not what the whole history costs. A finished job (completed, failed, disputed, cancelled) is
/// counted and then kept only as a four-byte <see cref="JobMark"/> (and, while its completion is within
/// the duration window, its id in that completion time's bucket). GPU→provider pairs live in a <see cref="ProviderDirectory"/>
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
    // times (one a block) however many jobs completed in it. Each bucket names its jobs with the duration
    // each was counted with (16 bytes a completion), so a later change of one takes back exactly that.
    private readonly SortedDictionary<ulong, CompletionBucket> _finished = [];
    // Assignments within the window (when, and the job's submission time), oldest first from _assignmentsStart.
    private readonly List<(ulong At, ulong SubmittedAt)> _assignments = [];
    private int _assignmentsStart;

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

    /// <summary>Full records kept: pending and processing jobs.</summary>
    public int RecordCount => _jobs.RecordCount;

    /// <summary>
    /// Changes of a finished job whose old figures could not be taken back exactly (its new value no longer
    /// carries the fingerprinted fields): the tallies may be off until the next full sync, which the follower asks for.
    /// </summary>
    public long InexactChanges { get; private set; }

    /// <summary>The job's full record; null when absent, or when finished (only its count and mark are kept).</summary>
    public Job? GetJob(ulong id) => _jobs.Record(id);

    /// <summary>The job's status, or null when absent.</summary>
    public JobStatus? StatusOf(ulong id) => _jobs.Mark(id) is { IsEmpty: false } mark ? mark.Status : null;

    /// <summary>
    /// Whether <paramref name="job"/> (null: absent) is what is kept of job <paramref name="id"/>: equal to the
    /// full record where one is kept, else the same status and fingerprint.
    /// </summary>
    public bool Holds(ulong id, Job? job)
    {
        if (_jobs.Record(id) is { } record)
        {
            return record == job;
        }

        return _jobs.Mark(id) == JobMark.From(job);
    }

    /// <summary>
    /// Job <paramref name="id"/> as the figures counted it, for taking it back when its value becomes <paramref name="next"/>:
    /// the full record when kept; else (finished) <paramref name="next"/> under the kept status and the completion time
    /// the window counted it at, when its fingerprinted fields are the same, or the status alone for failed and
    /// cancelled jobs, which count nothing more.
    /// </summary>
    public Job? Counted(ulong id, Job? next) => Counted(id, next, out _);

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
        var old = Counted(id, job, out var exact);
        if (!exact)
        {
            InexactChanges++;
        }

        _jobs.Set(id, job, job is { Status: JobStatus.Pending or JobStatus.Processing });
        if (old is { } o)
        {
            Count(o, -1);
        }

        if (job is { } j)
        {
            Count(j, +1);
        }
    }

    /// <summary>
    /// Sets job <paramref name="id"/> back to <paramref name="job"/> (null: absent), taking back <paramref name="counted"/>,
    /// the value it is counted with now: exact whatever is kept of it (a re-org reverting the block that set it).
    /// </summary>
    public void RevertJob(ulong id, Job? counted, Job? job)
    {
        _jobs.Set(id, job, job is { Status: JobStatus.Pending or JobStatus.Processing });
        if (counted is { } c)
        {
            Count(c, -1);
        }

        if (job is { } j)
        {
            Count(j, +1);
        }
    }

    /// <summary>
    /// Starts the duration window at <paramref name="windowStart"/> (pallet seconds) before jobs are set, so a full
    /// sync names only the completions within it.
    /// </summary>
    public void StartWindowAt(ulong windowStart)
    {
        if (_finished.Count == 0 && _jobs.Count == 0)
        {
            _windowStart = windowStart;
        }
        else
        {
            AdvanceWindow(windowStart);
        }
    }

    private Job? Counted(ulong id, Job? next, out bool exact)
    {
        exact = true;
        var mark = _jobs.Mark(id);
        if (mark.IsEmpty)
        {
            return null;
        }

        if (_jobs.Record(id) is { } record)
        {
            return record;
        }

        // Finished: its lasting fields are the new value's when the fingerprints agree, and its completion time the
        // one the window counted it at (none: it does not count in the window, which CompletedAt null says).
        if (next is { } n && JobMark.FingerprintOf(n) == mark.Fingerprint)
        {
            return n with { Status = mark.Status, CompletedAt = mark.Status is JobStatus.Completed or JobStatus.Disputed ? CountedCompletion(id) : null };
        }

        // Failed and cancelled jobs count by status alone; a completion's window entry is found by id, but its
        // tallies cannot be taken back without its fields.
        exact = mark.Status is not (JobStatus.Completed or JobStatus.Disputed);
        return new Job(id, mark.Status, 0, null, 0, exact ? null : CountedCompletion(id));
    }

    // The completion time a job counts in the window at, or null. Few buckets (one a block of the window); only a
    // later change of a finished job looks.
    private ulong? CountedCompletion(ulong id)
    {
        foreach (var (at, bucket) in _finished)
        {
            if (bucket.IndexOf(id) >= 0)
            {
                return at;
            }
        }

        return null;
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

    /// <summary>Records a <c>JobAssigned</c> event at pallet time <paramref name="at"/> of a job whose full record is kept, for the wait figure's window.</summary>
    public void RecordAssignment(ulong at, ulong jobId)
    {
        if (GetJob(jobId) is { } job)
        {
            RecordWait(at, job.SubmittedAt);
        }
    }

    /// <summary>Records a <c>JobAssigned</c> event at pallet time <paramref name="assignedAt"/> of a job submitted at <paramref name="submittedAt"/>.</summary>
    public void RecordWait(ulong assignedAt, ulong submittedAt) => _assignments.Add((assignedAt, submittedAt));

    /// <summary>Assignments recorded and still within the window.</summary>
    public int AssignmentCount => _assignments.Count - _assignmentsStart;

    /// <summary>Takes back the <paramref name="count"/> assignments recorded last (a re-org reverting their blocks).</summary>
    public void RemoveLastAssignments(int count)
    {
        var remove = Math.Min(count, AssignmentCount);
        _assignments.RemoveRange(_assignments.Count - remove, remove);
    }

    /// <summary>Every figure at pallet time <paramref name="now"/> with a window of <paramref name="windowSeconds"/>.</summary>
    public ChainFigures Compute(ulong now, ulong windowSeconds)
    {
        var windowStart = now > windowSeconds ? now - windowSeconds : 0;
        while (_assignmentsStart < _assignments.Count && _assignments[_assignmentsStart].At < windowStart)
        {
            _assignmentsStart++;
        }

        if (_assignmentsStart > 1024 && _assignmentsStart > _assignments.Count / 2)
        {
            _assignments.RemoveRange(0, _assignmentsStart);
            _assignmentsStart = 0;
        }

        // Wait: pending jobs so far (count × now − Σ submitted_at), and jobs assigned within the window when assigned.
        var pendingCount = _pending.Count;
        var waitSum = (pendingCount * (double)now) - _pendingSubmittedSum;
        long waitCount = pendingCount;
        for (var i = _assignmentsStart; i < _assignments.Count; i++)
        {
            var (at, submittedAt) = _assignments[i];
            if (at >= windowStart)
            {
                waitSum += at > submittedAt ? at - submittedAt : 0;
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
            _durationCount -= bucket.Entries.Count;
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
                    var duration = completedAt > job.SubmittedAt ? (double)(completedAt - job.SubmittedAt) : 0;
                    if (!_finished.TryGetValue(completedAt, out var bucket))
                    {
                        if (sign < 0)
                        {
                            // Not counted in the window (it completed before it): nothing to take back.
                            break;
                        }

                        bucket = new CompletionBucket();
                        _finished[completedAt] = bucket;
                    }

                    if (sign > 0)
                    {
                        bucket.Entries.Add((job.Id, duration));
                    }
                    else if (bucket.IndexOf(job.Id) is var at and >= 0)
                    {
                        // Taken back with the duration it was counted with.
                        duration = bucket.Entries[at].Duration;
                        bucket.Entries.RemoveAt(at);
                    }
                    else
                    {
                        break;
                    }

                    bucket.DurationSum += sign * duration;
                    if (bucket.Entries.Count == 0)
                    {
                        _finished.Remove(completedAt);
                    }

                    _durationSum += sign * duration;
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

    // The completions at one time within the window: their summed durations, and each job with its duration.
    private sealed class CompletionBucket
    {
        public double DurationSum { get; set; }

        public List<(ulong Id, double Duration)> Entries { get; } = [];

        public int IndexOf(ulong id) => Entries.FindIndex(e => e.Id == id);
    }
}
