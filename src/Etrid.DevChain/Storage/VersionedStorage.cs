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
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);

    public VersionedStorage(int historyDepth)
    {
        HistoryDepth = historyDepth;
    }

    /// <summary>How many blocks of history are kept.</summary>
    public int HistoryDepth { get; }

    /// <summary>Keys ever written (including those since deleted).</summary>
    public int KeyCount => _keys.Count;

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
            _keys.Add(key);
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

        foreach (var key in _keys.GetViewBetween(lower, upper))
        {
            if (key == startKey || !key.StartsWith(prefix, StringComparison.Ordinal) || Get(key, block) is null)
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
