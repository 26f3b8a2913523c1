namespace Etrid.Simulation.Running;

/// <summary>
/// The simulation's clock: time stands still until <see cref="Advance"/> moves it, and timers (Task.Delay,
/// timeouts, the market's ticks) fire in due order as it passes them, each seeing the clock at its due time.
/// The simulation's own, so the dev world ships no test package; it keeps the conventions of the fake clock
/// the simulation's figures were first taken with: durations in whole milliseconds, a zero due time fires at
/// once, timers due together fire in the order they were scheduled, a period restarts after its callback.
/// </summary>
internal sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (NextDue(target) is { } due)
        {
            due.Fire();
        }

        lock (_gate)
        {
            _now = target;
        }
    }

    // The earliest timer due by target (the first scheduled among equals), with the clock moved to its due time.
    private VirtualTimer? NextDue(DateTimeOffset target)
    {
        lock (_gate)
        {
            VirtualTimer? next = null;
            foreach (var timer in _timers)
            {
                if (timer.DueAt is { } at && at <= target &&
                    (next is null || at < next.DueAt || (at == next.DueAt && timer.ScheduledAt < next.ScheduledAt)))
                {
                    next = timer;
                }
            }

            if (next is not null && next.DueAt > _now)
            {
                _now = next.DueAt!.Value;
            }

            return next;
        }
    }

    private void Remove(VirtualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long _dueMs = Timeout.Infinite;
        private long _periodMs = Timeout.Infinite;
        private bool _disposed;

        /// <summary>When it fires next; null when it is stopped.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        /// <summary>The clock's timestamp when it was last scheduled: the order among timers due together.</summary>
        public long ScheduledAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            _dueMs = Milliseconds(dueTime, nameof(dueTime));
            _periodMs = Milliseconds(period, nameof(period));
            Stop();
            if (_dueMs == 0)
            {
                callback(state);
                SchedulePeriod();
            }
            else if (_dueMs != Timeout.Infinite)
            {
                Schedule(_dueMs);
            }

            return true;
        }

        /// <summary>Runs the callback at its due time, then schedules the next period, if any.</summary>
        public void Fire()
        {
            callback(state);
            SchedulePeriod();
        }

        public void Dispose()
        {
            _disposed = true;
            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private static long Milliseconds(TimeSpan value, string name)
        {
            var ms = (long)value.TotalMilliseconds;
            ArgumentOutOfRangeException.ThrowIfLessThan(ms, -1, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(ms, 0xfffffffe, name);
            return ms;
        }

        private void SchedulePeriod()
        {
            if (_periodMs is 0 or Timeout.Infinite)
            {
                Stop();
            }
            else
            {
                Schedule(_periodMs);
            }
        }

        private void Stop() => DueAt = null;

        private void Schedule(long milliseconds)
        {
            ScheduledAt = clock.GetTimestamp();
            DueAt = clock.GetUtcNow() + TimeSpan.FromMilliseconds(milliseconds);
        }
    }
}
