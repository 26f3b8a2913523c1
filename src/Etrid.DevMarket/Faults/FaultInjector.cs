namespace Etrid.DevMarket.Faults;

/// <summary>Decides each API request's fault: first from a script (deterministic tests), else by the rates with a seeded draw.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly Queue<FaultKind> _script = new();
    private readonly Dictionary<FaultKind, int> _injected = [];
    private FaultSettings _settings = new();

    public FaultInjector(int seed) => _random = new Random(seed);

    /// <summary>The rates in force.</summary>
    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }

        set
        {
            var problems = value.Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException("invalid fault settings: " + string.Join("; ", problems), nameof(value));
            }

            lock (_gate)
            {
                _settings = value;
            }
        }
    }

    /// <summary>Faults for the next API requests, in order, before the rates apply again.</summary>
    public void Enqueue(params FaultKind[] faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _script.Enqueue(fault);
            }
        }
    }

    /// <summary>Drops the script and sets every rate to zero.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _script.Clear();
            _settings = new FaultSettings();
        }
    }

    /// <summary>How many faults of a kind were injected.</summary>
    public int Injected(FaultKind kind)
    {
        lock (_gate)
        {
            return _injected.GetValueOrDefault(kind);
        }
    }

    /// <summary>The fault for the next request.</summary>
    public FaultKind Next()
    {
        lock (_gate)
        {
            var kind = _script.Count > 0 ? _script.Dequeue() : Draw();
            if (kind != FaultKind.None)
            {
                _injected[kind] = _injected.GetValueOrDefault(kind) + 1;
            }

            return kind;
        }
    }

    private FaultKind Draw()
    {
        var s = _settings;
        if (s.Rate429 + s.Rate500 + s.RateTimeout + s.RateSlow <= 0)
        {
            return FaultKind.None;
        }

        var r = _random.NextDouble();
        if ((r -= s.Rate429) < 0)
        {
            return FaultKind.TooManyRequests;
        }

        if ((r -= s.Rate500) < 0)
        {
            return s.AfterProcessing ? FaultKind.ServerErrorAfterProcessing : FaultKind.ServerError;
        }

        if ((r -= s.RateTimeout) < 0)
        {
            return s.AfterProcessing ? FaultKind.TimeoutAfterProcessing : FaultKind.Timeout;
        }

        return r - s.RateSlow < 0 ? FaultKind.Slow : FaultKind.None;
    }
}
