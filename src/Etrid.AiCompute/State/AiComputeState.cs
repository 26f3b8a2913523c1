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
    private readonly List<Job?> _jobs = [];
    private readonly Dictionary<ulong, GpuNode> _gpus = [];
    private readonly Dictionary<ulong, string> _gpuProvider = [];
    private readonly Dictionary<string, string> _addresses = new(StringComparer.Ordinal);
    private readonly long[] _statusCounts = new long[Enum.GetValues<JobStatus>().Length];
    private readonly HashSet<ulong> _pending = [];
    private readonly HashSet<ulong> _processing = [];
    private readonly Dictionary<ulong, (long Completed, BigInteger Earned)> _tally = [];
    private readonly SortedSet<(ulong CompletedAt, ulong JobId)> _finished = [];
    private readonly Queue<(uint Block, ulong JobId)> _assignments = new();

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
    public int JobCount => _jobs.Count;

    /// <summary>The <c>PendingJobs</c> list as stored.</summary>
    public IReadOnlyList<ulong> PendingList { get; set; } = [];

    public Job? GetJob(ulong id) => id < (ulong)_jobs.Count ? _jobs[(int)id] : null;

    public IEnumerable<Job> Jobs => _jobs.Where(j => j is not null).Select(j => j!.Value);

    public IReadOnlyDictionary<ulong, GpuNode> Gpus => _gpus;

    /// <summary>Records a job's current value (null: absent), updating every tally it counts in.</summary>
    public void SetJob(ulong id, Job? job)
    {
        while ((ulong)_jobs.Count <= id)
        {
            _jobs.Add(null);
        }

        if (_jobs[(int)id] is { } old)
        {
            Count(old, -1);
        }

        _jobs[(int)id] = job;
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
        if (!_addresses.TryGetValue(hex, out var address))
        {
            address = Ss58Address.Encode(provider, Ss58Format);
            _addresses[hex] = address;
        }

        _gpuProvider[gpuId] = address;
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

        // Wait: pending jobs so far, and jobs assigned within the window when they were assigned.
        double waitSum = 0;
        long waitCount = 0;
        foreach (var id in _pending)
        {
            var job = _jobs[(int)id]!.Value;
            waitSum += now6 > job.SubmittedAt ? now6 - job.SubmittedAt : 0;
            waitCount++;
        }

        foreach (var (block, jobId) in _assignments)
        {
            if ((ulong)block * 6 >= windowStart && GetJob(jobId) is { } job)
            {
                var at = (ulong)block * 6;
                waitSum += at > job.SubmittedAt ? at - job.SubmittedAt : 0;
                waitCount++;
            }
        }

        // Duration: completed (or since disputed) jobs that finished within the window.
        double durationSum = 0;
        long durationCount = 0;
        foreach (var (completedAt, jobId) in _finished.GetViewBetween((windowStart, 0), (ulong.MaxValue, ulong.MaxValue)))
        {
            var job = _jobs[(int)jobId]!.Value;
            durationSum += completedAt > job.SubmittedAt ? completedAt - job.SubmittedAt : 0;
            durationCount++;
        }

        var gpusByStatus = Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 0L);
        var busyByGpu = new Dictionary<ulong, int>();
        foreach (var id in _processing)
        {
            if (_jobs[(int)id]!.Value.AssignedGpu is { } gpu)
            {
                busyByGpu[gpu] = busyByGpu.GetValueOrDefault(gpu) + 1;
            }
        }

        var providers = new Dictionary<string, (int Registered, int Active, int Busy, long Completed, BigInteger Earned)>(StringComparer.Ordinal);
        foreach (var gpu in _gpus.Values)
        {
            gpusByStatus[gpu.Status]++;
            var address = _gpuProvider[gpu.Id];
            var p = providers.GetValueOrDefault(address);
            p.Registered++;
            if (gpu.Status == GpuStatus.Active)
            {
                p.Active++;
                p.Busy += busyByGpu.GetValueOrDefault(gpu.Id);
            }

            providers[address] = p;
        }

        long unattributed = 0;
        foreach (var (gpuId, tally) in _tally)
        {
            if (tally.Completed == 0)
            {
                continue;
            }

            if (_gpuProvider.TryGetValue(gpuId, out var address) && providers.TryGetValue(address, out var p))
            {
                p.Completed += tally.Completed;
                p.Earned += tally.Earned;
                providers[address] = p;
            }
            else if (!_gpuProvider.ContainsKey(gpuId))
            {
                unattributed += tally.Completed;
            }
        }

        var providerFigures = providers
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ProviderFigures(
                p.Key,
                p.Value.Registered,
                p.Value.Active,
                p.Value.Busy,
                p.Value.Active == 0 ? 0 : 100.0 * p.Value.Busy / p.Value.Active,
                p.Value.Completed,
                Balance.ToTokens(p.Value.Earned, Decimals)))
            .ToList();

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

    private void Count(Job job, int sign)
    {
        _statusCounts[(int)job.Status] += sign;
        switch (job.Status)
        {
            case JobStatus.Pending:
                Toggle(_pending, job.Id, sign);
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

                if (job.CompletedAt is { } completedAt)
                {
                    if (sign > 0)
                    {
                        _finished.Add((completedAt, job.Id));
                    }
                    else
                    {
                        _finished.Remove((completedAt, job.Id));
                    }
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
