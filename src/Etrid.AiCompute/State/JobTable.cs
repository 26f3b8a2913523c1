namespace Etrid.AiCompute.State;

/// <summary>
/// Jobs by id, bounded. Ids are dense on a real chain (0 to <c>NextJobId</c> − 1), so they live in an
/// array of 48-byte slots; an id far beyond the live count (sparse ids, or a node announcing huge
/// ones) goes to a dictionary instead, so no id can make the table allocate more than its jobs need.
/// </summary>
internal sealed class JobTable
{
    // An id enters the array only below twice the live jobs plus this floor, whatever the ids.
    private const int DenseFloor = 4096;
    private readonly Dictionary<ulong, JobSlot> _sparse = [];
    private readonly int _maxJobs;
    private JobSlot[] _dense = [];

    // Set once a full sync has trimmed the array: from then on jobs arrive a few a block, so the array
    // grows by an eighth rather than by half (a sync's ids arrive in hashed-key order and need the half).
    private bool _settled;

    public JobTable(int maxJobs) => _maxJobs = maxJobs;

    /// <summary>Jobs present.</summary>
    public int Count { get; private set; }

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

            foreach (var (id, slot) in _sparse)
            {
                if (!slot.IsEmpty)
                {
                    yield return id;
                }
            }
        }
    }

    public JobSlot Get(ulong id) => id < (ulong)_dense.Length ? _dense[id] : _sparse.GetValueOrDefault(id);

    /// <summary>Stores a slot (an empty one removes the job).</summary>
    /// <exception cref="JobLimitException">More than the configured number of jobs.</exception>
    public void Set(ulong id, JobSlot slot)
    {
        var old = Get(id);
        var delta = (slot.IsEmpty ? 0 : 1) - (old.IsEmpty ? 0 : 1);
        if (delta > 0 && Count >= _maxJobs)
        {
            throw new JobLimitException($"more than {_maxJobs} jobs (chain.max_jobs) at job id {id}");
        }

        Count += delta;
        if (!slot.IsEmpty)
        {
            End = Math.Max(End, id + 1);
        }

        if (id < (ulong)_dense.Length)
        {
            _dense[id] = slot;
            return;
        }

        var limit = (ulong)DenseFloor + (2UL * (ulong)Count);
        if (id < limit && !slot.IsEmpty)
        {
            Grow(id);
            _dense[id] = slot;
        }
        else if (slot.IsEmpty)
        {
            _sparse.Remove(id);
        }
        else
        {
            _sparse[id] = slot;
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
        _settled = true;
    }

    private void Grow(ulong id, bool exact = false)
    {
        // Half as much again each time (an eighth once settled), up to twice the bound an id must be within to enter the array:
        // growth stays geometric (a cold sync's ids arrive in hashed-key order, not one by one), and
        // the array still never exceeds 2 × (floor + 2 × live jobs) slots.
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
