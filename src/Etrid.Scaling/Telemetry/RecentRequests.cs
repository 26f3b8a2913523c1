namespace Etrid.Scaling.Telemetry;

/// <summary>The last few requests of one interface, newest first: a small fixed ring, so a busy caller costs no memory.</summary>
public sealed class RecentRequests
{
    /// <summary>How many requests each ring keeps.</summary>
    public const int DefaultCapacity = 20;

    private readonly Lock _lock = new();
    private readonly ScalingRequest?[] _ring;
    private int _next;
    private long _total;

    /// <summary>A ring of <paramref name="capacity"/> entries.</summary>
    public RecentRequests(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new ScalingRequest?[capacity];
    }

    /// <summary>Requests recorded since start (the ring keeps only the last few).</summary>
    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>The requests kept, newest first.</summary>
    public IReadOnlyList<ScalingRequest> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<ScalingRequest>(_ring.Length);
            for (var i = 1; i <= _ring.Length; i++)
            {
                if (_ring[(_next - i + _ring.Length) % _ring.Length] is { } request)
                {
                    list.Add(request);
                }
            }

            return list;
        }
    }

    internal void Add(ScalingRequest request)
    {
        lock (_lock)
        {
            _ring[_next] = request;
            _next = (_next + 1) % _ring.Length;
            _total++;
        }
    }
}
