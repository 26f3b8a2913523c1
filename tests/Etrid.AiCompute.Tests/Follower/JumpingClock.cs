namespace Etrid.AiCompute.Tests.Follower;

/// <summary>
/// The system clock with a forward offset a test can add: timers and delays run in real time (so the follower talks to
/// a real node as usual), while a hold measured on this clock can be passed at once instead of waited out.
/// </summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => System.GetTimestamp() + (Interlocked.Read(ref _offsetTicks) * System.TimestampFrequency / TimeSpan.TicksPerSecond);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves this clock forward by <paramref name="by"/> at once.</summary>
    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
