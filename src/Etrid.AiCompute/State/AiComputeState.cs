using System.Numerics;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.Substrate.Ss58;

namespace Etrid.AiCompute.State;

/// <summary>
/// The follower's working copy of the chain: jobs by id, registered GPUs, every GPU→provider pair
/// ever seen, and running tallies kept up to date as single jobs change, so that figures cost what
/// the pending, running and recent jobs cost, not what the whole history costs.
/// Owned by one thread (the follower); snapshots are what others read.
/// </summary>
public sealed class AiComputeState
{
    private JobSlot[] _slots = [];
    private int _jobCount;
    private readonly Dictionary<ulong, GpuNode> _gpus = [];
    private readonly Dictionary<ulong, int> _gpuProvider = [];
    private readonly Dictionary<string, int> _providerIndex = new(StringComparer.Ordinal);
    private readonly List<string> _providerAddress = [];
    private readonly long[] _statusCounts = new long[Enum.GetValues<JobStatus>().Length];
    private readonly HashSet<ulong> _pending = [];
    private readonly HashSet<ulong> _processing = [];
    private readonly Dictionary<ulong, (long Completed, BigInteger Earned)> _tally = [];
    private readonly SortedSet<(ulong CompletedAt, ulong JobId)> _finished = [];
    private readonly Queue<(uint Block, ulong JobId)> _assignments = new();

    // Running sums, so figures cost what changed rather than what the history holds.
    private double _pendingSubmittedSum;
    private ulong _windowStart;
    private double _durationSum;
    private long _durationCount;

    public AiComputeState(ushort platformFeeBps, ushort ss58Format, int decimals)
    {
        PlatformFeeBps = platformFeeBps;
        Ss58Format = ss58Format;
        Decimals = decimals;
    }

    public ushort PlatformFeeBps { get; }

    public ushort Ss58Format { get; }

    public int Decimals { get; }

    /// <summary>Jobs known (ids 0 to count − 1, some possibly absent).</summary>
    public int JobCount => _jobCount;

    /// <summary>The <c>PendingJobs</c> list as stored.</summary>
    public IReadOnlyList<ulong> PendingList { get; set; } = [];

    public Job? GetJob(ulong id) => id < (ulong)_jobCount ? _slots[(int)id].ToJob(id) : null;

    public IEnumerable<Job> Jobs
    {
        get
        {
            for (var id = 0; id < _jobCount; id++)
            {
                if (_slots[id].ToJob((ulong)id) is { } job)
                {
                    yield return job;
                }
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> jobs at once (a full sync knows how many).</summary>
    public void Reserve(int count)
    {
        if (count > _slots.Length)
        {
            Array.Resize(ref _slots, count);
        }
    }

    public IReadOnlyDictionary<ulong, GpuNode> Gpus => _gpus;

    /// <summary>Records a job's current value (null: absent), updating every tally it counts in.</summary>
    public void SetJob(ulong id, Job? job)
    {
        if (id >= (ulong)_slots.Length)
        {
            // Grow by a quarter: the table is most of the state, and ids arrive one block at a time.
            Array.Resize(ref _slots, (int)Math.Max(id + 1, (ulong)_slots.Length + (ulong)(_slots.Length / 4) + 16));
        }

        _jobCount = Math.Max(_jobCount, (int)id + 1);
        if (_slots[(int)id].ToJob(id) is { } old)
        {
            Count(old, -1);
        }

        _slots[(int)id] = JobSlot.From(job);
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
        RememberProvider(id, gpu.Provider);
    }

    /// <summary>Remembers which provider a GPU belongs to (from events, ProviderGpus or GpuNodes).</summary>
    public void RememberProvider(ulong gpuId, byte[] provider)
    {
        var hex = Convert.ToHexStringLower(provider);
        if (!_providerIndex.TryGetValue(hex, out var index))
        {
            index = _providerAddress.Count;
            _providerAddress.Add(Ss58Address.Encode(provider, Ss58Format));
            _providerIndex[hex] = index;
        }

        _gpuProvider[gpuId] = index;
    }

    /// <summary>Records a <c>JobAssigned</c> event of a block, for the wait figure's window.</summary>
    public void RecordAssignment(uint block, ulong jobId) => _assignments.Enqueue((block, jobId));

    /// <summary>Every figure at pallet time <paramref name="now6"/> (block × 6) with a window of <paramref name="windowSeconds"/>.</summary>
    public ChainFigures Compute(ulong now6, ulong windowSeconds)
    {
        var windowStart = now6 > windowSeconds ? now6 - windowSeconds : 0;
        while (_assignments.Count > 0 && (ulong)_assignments.Peek().Block * 6 < windowStart)
        {
            _assignments.Dequeue();
        }

        // Wait: pending jobs so far (count × now − Σ submitted_at), and jobs assigned within the window when assigned.
        var pendingCount = _pending.Count;
        var waitSum = (pendingCount * (double)now6) - _pendingSubmittedSum;
        long waitCount = pendingCount;
        foreach (var (block, jobId) in _assignments)
        {
            if ((ulong)block * 6 >= windowStart && GetJob(jobId) is { } job)
            {
                var at = (ulong)block * 6;
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
            if (_slots[(int)id].ToJob(id)!.Value.AssignedGpu is { } gpu)
            {
                busyByGpu[gpu] = busyByGpu.GetValueOrDefault(gpu) + 1;
            }
        }

        // Providers are numbered as first seen, so the per-block aggregation is array work.
        var count = _providerAddress.Count;
        var registered = new int[count];
        var activeGpus = new int[count];
        var busyGpus = new int[count];
        var completed = new long[count];
        var earned = new BigInteger[count];
        foreach (var gpu in _gpus.Values)
        {
            gpusByStatus[gpu.Status]++;
            var p = _gpuProvider[gpu.Id];
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

            if (_gpuProvider.TryGetValue(gpuId, out var p))
            {
                completed[p] += tally.Completed;
                earned[p] += tally.Earned;
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
                providerFigures.Add(new ProviderFigures(
                    _providerAddress[p],
                    registered[p],
                    activeGpus[p],
                    busyGpus[p],
                    activeGpus[p] == 0 ? 0 : 100.0 * busyGpus[p] / activeGpus[p],
                    completed[p],
                    Balance.ToTokens(earned[p], Decimals)));
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
            unattributed);
    }

    // Completions that fall out of the window leave the set for good: the window only moves forward
    // within one state (a full sync builds a new one), so the set stays as small as the window.
    private void AdvanceWindow(ulong windowStart)
    {
        if (windowStart <= _windowStart)
        {
            return;
        }

        var expired = _finished.GetViewBetween((0, 0), (windowStart - 1, ulong.MaxValue)).ToList();
        foreach (var (completedAt, jobId) in expired)
        {
            _durationSum -= Duration(completedAt, jobId);
            _durationCount--;
            _finished.Remove((completedAt, jobId));
        }

        _windowStart = windowStart;
    }

    private double Duration(ulong completedAt, ulong jobId)
    {
        var submittedAt = _slots[(int)jobId].SubmittedAt;
        return completedAt > submittedAt ? completedAt - submittedAt : 0;
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
                    if (sign > 0)
                    {
                        _finished.Add((completedAt, job.Id));
                    }
                    else
                    {
                        _finished.Remove((completedAt, job.Id));
                    }

                    _durationSum += sign * (completedAt > job.SubmittedAt ? (double)(completedAt - job.SubmittedAt) : 0);
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

    /// <summary>A job in 48 bytes: optional values are stored plus one, so zero means none.</summary>
    private readonly struct JobSlot
    {
        private readonly UInt128 _payment;
        private readonly ulong _assignedGpuPlusOne;
        private readonly ulong _completedAtPlusOne;
        private readonly byte _statusPlusOne;

        private JobSlot(Job job)
        {
            _payment = job.Payment;
            _assignedGpuPlusOne = job.AssignedGpu is { } g ? g + 1 : 0;
            _completedAtPlusOne = job.CompletedAt is { } c ? c + 1 : 0;
            SubmittedAt = job.SubmittedAt;
            _statusPlusOne = (byte)(job.Status + 1);
        }

        public ulong SubmittedAt { get; }

        public static JobSlot From(Job? job) => job is { } j ? new JobSlot(j) : default;

        public Job? ToJob(ulong id) => _statusPlusOne == 0
            ? null
            : new Job(id, (JobStatus)(_statusPlusOne - 1), _payment, _assignedGpuPlusOne == 0 ? null : _assignedGpuPlusOne - 1, SubmittedAt, _completedAtPlusOne == 0 ? null : _completedAtPlusOne - 1);
    }
}
