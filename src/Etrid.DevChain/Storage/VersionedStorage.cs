namespace Etrid.DevChain.Storage;

/// <summary>
/// Key-value storage with history: each key keeps the values it had over the last
/// <see cref="HistoryDepth"/> blocks, so reads at an older block see that block's state. Keys are
/// lowercase hex without <c>0x</c>, whose ordinal order is the byte order nodes page keys in.
/// Not thread-safe: the chain guards it with its lock.
/// </summary>
internal sealed class VersionedStorage
{
    private readonly Dictionary<string, List<Version>> _values = new(StringComparer.Ordinal);

    // Every key ever written, sorted (ordinal), plus the keys first written since the last commit. A sorted
    // array pages in O(log n + page): a SortedSet view counts every key after the start key on creation,
    // which made paging a million keys quadratic.
    private string[] _sorted = [];
    private readonly List<string> _added = [];

    public VersionedStorage(int historyDepth)
    {
        HistoryDepth = historyDepth;
    }

    /// <summary>How many blocks of history are kept.</summary>
    public int HistoryDepth { get; }

    /// <summary>Keys ever written (including those since deleted), once committed.</summary>
    public int KeyCount => _sorted.Length;

    /// <summary>Writes a value (null deletes) as of <paramref name="block"/>, which must not precede earlier writes.</summary>
    public void Set(string key, byte[]? value, uint block)
    {
        if (!_values.TryGetValue(key, out var versions))
        {
            if (value is null)
            {
                return;
            }

            versions = new List<Version>(1);
            _values[key] = versions;
            _added.Add(key);
        }

        if (versions.Count > 0 && versions[^1].Block == block)
        {
            versions[^1] = new Version(block, value);
        }
        else
        {
            versions.Add(new Version(block, value));
        }

        // Versions superseded before the oldest readable block can no longer be read.
        var oldestReadable = block > HistoryDepth ? block - (uint)HistoryDepth : 0;
        var drop = 0;
        while (drop + 1 < versions.Count && versions[drop + 1].Block <= oldestReadable)
        {
            drop++;
        }

        if (drop > 0)
        {
            versions.RemoveRange(0, drop);
        }
    }

    /// <summary>Makes the keys first written since the last commit visible to <see cref="KeysPaged"/> (once a block is sealed).</summary>
    public void CommitKeys()
    {
        if (_added.Count == 0)
        {
            return;
        }

        _added.Sort(StringComparer.Ordinal);
        var merged = new string[_sorted.Length + _added.Count];
        int i = 0, j = 0, k = 0;
        while (i < _sorted.Length && j < _added.Count)
        {
            merged[k++] = string.CompareOrdinal(_sorted[i], _added[j]) <= 0 ? _sorted[i++] : _added[j++];
        }

        while (i < _sorted.Length)
        {
            merged[k++] = _sorted[i++];
        }

        while (j < _added.Count)
        {
            merged[k++] = _added[j++];
        }

        _sorted = merged;
        _added.Clear();
    }

    /// <summary>The value at <paramref name="block"/>, or null when absent then.</summary>
    public byte[]? Get(string key, uint block)
    {
        if (!_values.TryGetValue(key, out var versions))
        {
            return null;
        }

        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].Block <= block)
            {
                return versions[i].Value;
            }
        }

        return null;
    }

    /// <summary>Keys under <paramref name="prefix"/> present at <paramref name="block"/>, in order, after <paramref name="startKey"/>.</summary>
    public List<string> KeysPaged(string prefix, int count, string? startKey, uint block)
    {
        var result = new List<string>(Math.Min(count, 1024));
        if (count <= 0)
        {
            return result;
        }

        var lower = startKey is not null && string.CompareOrdinal(startKey, prefix) > 0 ? startKey : prefix;
        // 'g' sorts after every hex digit, so prefix + "g" bounds every key under the prefix.
        var upper = prefix + "g";
        if (string.CompareOrdinal(lower, upper) >= 0)
        {
            return result;
        }

        // The first key at or after the lower bound.
        var index = Array.BinarySearch(_sorted, lower, StringComparer.Ordinal);
        for (var i = index < 0 ? ~index : index; i < _sorted.Length; i++)
        {
            var key = _sorted[i];
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            if (key == startKey || Get(key, block) is null)
            {
                continue;
            }

            result.Add(key);
            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Whether the key changed in exactly <paramref name="block"/>.</summary>
    public bool ChangedAt(string key, uint block) =>
        _values.TryGetValue(key, out var versions) && versions.Count > 0 && versions[^1].Block == block;

    private readonly record struct Version(uint Block, byte[]? Value);
}
