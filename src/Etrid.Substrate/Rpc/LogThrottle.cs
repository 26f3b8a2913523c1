namespace Etrid.Substrate.Rpc;

/// <summary>
/// Bounds repeated log lines: per cause, the first occurrence is written at once and later ones at most
/// once per interval, carrying how many were left out meanwhile. A node that repeats nonsense thousands of
/// times a second then costs a few lines a minute, not megabytes. Thread-safe.
/// </summary>
public sealed class LogThrottle
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long LastWritten, long Suppressed)> _causes = new(StringComparer.Ordinal);

    public LogThrottle(TimeProvider time, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _time = time;
        _interval = interval;
    }

    /// <summary>
    /// Whether an occurrence of <paramref name="cause"/> is to be written now; when it is,
    /// <paramref name="suppressed"/> is the number of occurrences left out since the last line.
    /// </summary>
    public bool ShouldWrite(string cause, out long suppressed)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_causes.TryGetValue(cause, out var entry) && _time.GetElapsedTime(entry.LastWritten, now) < _interval)
            {
                _causes[cause] = entry with { Suppressed = entry.Suppressed + 1 };
                suppressed = 0;
                return false;
            }

            // Causes are a handful of fixed names; the map never grows with what a node sends.
            suppressed = entry.Suppressed;
            _causes[cause] = (now, 0);
            return true;
        }
    }
}
