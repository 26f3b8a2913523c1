using System.Collections.Concurrent;

namespace Etrid.Scaling.Caching;

/// <summary>
/// A small time-bounded cache for review decisions. Bounded in entries: when full, expired entries
/// go first and, failing that, everything (a flood of distinct keys must not grow memory).
/// </summary>
internal sealed class ExpiringCache<TKey, TValue>(TimeSpan ttl, TimeProvider time, int capacity = 10_000)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long Expires)> _entries = new();

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && time.GetTimestamp() < entry.Expires)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            var now = time.GetTimestamp();
            foreach (var (k, e) in _entries)
            {
                if (e.Expires <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }

        _entries[key] = (value, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
    }

    public void Clear() => _entries.Clear();
}
