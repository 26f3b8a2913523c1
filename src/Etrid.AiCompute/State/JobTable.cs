using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.State;

/// <summary>
/// Jobs by id, bounded. Every job present has a four-byte <see cref="JobMark"/> (status and fingerprint); a full
/// 48-byte record is kept only for the jobs the figures read at every block (pending and processing jobs), a few
/// thousand however long the history. Ids are dense on a real chain
/// (0 to <c>NextJobId</c> − 1), so marks live in an array; an id far beyond the live count (sparse ids, or a node
/// announcing huge ones) goes to a dictionary instead, so no id can make the table allocate more than its jobs need.
/// </summary>
internal sealed class JobTable
{
    // An id enters the array only below twice the live jobs plus this floor, whatever the ids.
    private const int DenseFloor = 4096;
    private readonly Dictionary<ulong, JobMark> _sparse = [];
    private readonly Dictionary<ulong, JobSlot> _records = [];
    private readonly int _maxJobs;
    private JobMark[] _dense = [];

    // Set once a full sync has trimmed the array: from then on jobs arrive a few a block, so the array
    // grows by an eighth rather than by half (a sync's ids arrive in hashed-key order and need the half).
    private bool _settled;

    public JobTable(int maxJobs) => _maxJobs = maxJobs;

    /// <summary>Jobs present.</summary>
    public int Count { get; private set; }

    /// <summary>Full records kept (the rest are counted by their marks only).</summary>
    public int RecordCount => _records.Count;

    /// <summary>One more than the highest id ever set (0 when none).</summary>
    public ulong End { get; private set; }

    /// <summary>Ids of the jobs present, in no particular order.</summary>
    public IEnumerable<ulong> Ids
    {
        get
        {
            for (var id = 0; id < _dense.Length; id++)
            {
                if (!_dense[id].IsEmpty)
                {
                    yield return (ulong)id;
                }
            }

            foreach (var (id, mark) in _sparse)
            {
                if (!mark.IsEmpty)
                {
                    yield return id;
                }
            }
        }
    }

    public JobMark Mark(ulong id) => id < (ulong)_dense.Length ? _dense[id] : _sparse.GetValueOrDefault(id);

    /// <summary>The job's full record, when one is kept.</summary>
    public Job? Record(ulong id) => _records.TryGetValue(id, out var slot) ? slot.ToJob(id) : null;

    /// <summary>Stores a job (null removes it), with its full record when <paramref name="keepRecord"/>.</summary>
    /// <exception cref="JobLimitException">More than the configured number of jobs.</exception>
    public void Set(ulong id, Job? job, bool keepRecord)
    {
        var mark = JobMark.From(job);
        var old = Mark(id);
        var delta = (mark.IsEmpty ? 0 : 1) - (old.IsEmpty ? 0 : 1);
        if (delta > 0 && Count >= _maxJobs)
        {
            throw new JobLimitException($"more than {_maxJobs} jobs (chain.max_jobs) at job id {id}");
        }

        Count += delta;
        if (keepRecord && job is not null)
        {
            _records[id] = JobSlot.From(job);
        }
        else
        {
            _records.Remove(id);
        }

        if (!mark.IsEmpty)
        {
            End = Math.Max(End, id + 1);
        }

        if (id < (ulong)_dense.Length)
        {
            _dense[id] = mark;
            return;
        }

        var limit = (ulong)DenseFloor + (2UL * (ulong)Count);
        if (id < limit && !mark.IsEmpty)
        {
            Grow(id);
            _dense[id] = mark;
        }
        else if (mark.IsEmpty)
        {
            _sparse.Remove(id);
        }
        else
        {
            _sparse[id] = mark;
        }
    }

    /// <summary>
    /// Sizes the array once for the ids a full sync is about to set (listed before their values), so it is
    /// allocated once rather than grown while ids arrive in hashed order. Ids beyond the density bound
    /// (<c>floor + 2 × count</c>) are left to the dictionary, as <see cref="Set"/> would.
    /// </summary>
    public void Reserve(IReadOnlyCollection<ulong> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var limit = (ulong)DenseFloor + (2UL * (ulong)Math.Max(ids.Count, Count));
        ulong end = 0;
        foreach (var id in ids)
        {
            if (id < limit)
            {
                end = Math.Max(end, id + 1);
            }
        }

        if (end > (ulong)_dense.Length)
        {
            Grow(end - 1, exact: true);
        }
    }

    /// <summary>Drops the array's spare room once a full sync is done.</summary>
    public void TrimExcess()
    {
        var used = (int)Math.Min(End, (ulong)_dense.Length);
        if (used < _dense.Length)
        {
            Array.Resize(ref _dense, used);
        }

        _sparse.TrimExcess();
        _records.TrimExcess();
        _settled = true;
    }

    private void Grow(ulong id, bool exact = false)
    {
        // Half as much again each time (an eighth once settled), up to twice the bound an id must be within to enter the array:
        // growth stays geometric (a cold sync's ids arrive in hashed-key order, not one by one), and
        // the array still never exceeds 2 × (floor + 2 × live jobs) marks.
        var limit = (ulong)DenseFloor + (2UL * (ulong)Count);
        var step = _settled ? Math.Max((ulong)_dense.Length / 8, DenseFloor) : ((ulong)_dense.Length / 2) + 16;
        var wanted = Math.Max(id + 1, (ulong)_dense.Length + step);
        var length = exact ? checked((int)id + 1) : checked((int)Math.Min(wanted, 2 * limit));
        var from = _dense.Length;
        Array.Resize(ref _dense, Math.Max(length, checked((int)id + 1)));
        if (_sparse.Count == 0)
        {
            return;
        }

        // Ids the array now covers move into it.
        foreach (var moved in _sparse.Keys.Where(k => k >= (ulong)from && k < (ulong)_dense.Length).ToList())
        {
            _dense[moved] = _sparse[moved];
            _sparse.Remove(moved);
        }
    }
}
