using System.Collections.Concurrent;

namespace Etrid.Mithril.Api;

/// <summary>
/// Self-metrics of the marketplace calls: count and total seconds per (operation, outcome), one entry per
/// attempt. Operations are path templates (<c>GET /v2/spot/bids/{bid_fid}</c>), so labels stay bounded.
/// Read at scrape time with <see cref="Snapshot"/>.
/// </summary>
public sealed class MithrilCallStats
{
    private readonly ConcurrentDictionary<(string Operation, string Outcome), Entry> _entries = new();

    /// <summary>Every (operation, outcome) seen, with its count and total duration in seconds.</summary>
    public IReadOnlyList<(string Operation, string Outcome, long Count, double Seconds)> Snapshot() =>
        _entries.Select(e => (e.Key.Operation, e.Key.Outcome, Interlocked.Read(ref e.Value.Count), e.Value.Seconds)).OrderBy(e => e.Operation, StringComparer.Ordinal).ThenBy(e => e.Outcome, StringComparer.Ordinal).ToList();

    /// <summary>The operation label of a request: method and path with FIDs replaced by their parameter names.</summary>
    public static string OperationOf(HttpMethod method, Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i] switch
            {
                var s when s.StartsWith("bid_", StringComparison.Ordinal) => "{bid_fid}",
                var s when s.StartsWith("inst_", StringComparison.Ordinal) => "{instance_fid}",
                var s => s.Length > 32 ? "{id}" : s,
            };
        }

        return method.Method + " /" + string.Join('/', segments);
    }

    internal void Record(string operation, string outcome, TimeSpan elapsed)
    {
        var entry = _entries.GetOrAdd((operation, outcome), _ => new Entry());
        Interlocked.Increment(ref entry.Count);
        lock (entry)
        {
            entry.Seconds += elapsed.TotalSeconds;
        }
    }

    private sealed class Entry
    {
#pragma warning disable CA1051 // Fields so Interlocked can work on them; the class is private.
        public long Count;
        public double Seconds;
#pragma warning restore CA1051
    }
}
