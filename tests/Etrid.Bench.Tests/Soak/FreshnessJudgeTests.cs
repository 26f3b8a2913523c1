using Etrid.Bench.Soak;

namespace Etrid.Bench.Tests.Soak;

public sealed class FreshnessJudgeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Block n finalized at n seconds, blocks 1 to <paramref name="last"/>.</summary>
    private static FreshnessJudge Chain(uint last)
    {
        var judge = new FreshnessJudge(Limit);
        for (uint n = 1; n <= last; n++)
        {
            judge.Finalized(n, S(n));
        }

        return judge;
    }

    [Fact]
    public void TheAge_IsTheTimeSinceTheNextBlockWasFinalized()
    {
        var judge = Chain(100);

        Assert.Equal(TimeSpan.Zero, judge.Age(100, S(100.5)));
        Assert.Equal(S(40.5), judge.Age(60, S(101.5)));
        Assert.Equal(S(101.5), judge.Age(null, S(101.5)));
    }

    [Theory]
    [InlineData(70u, true, nameof(FreshnessVerdict.Fresh))] // 29 s behind (block 71 came at 71 s)
    [InlineData(69u, true, nameof(FreshnessVerdict.Fresh))] // 30 s behind: the limit itself is fresh
    [InlineData(68u, false, nameof(FreshnessVerdict.StaleWhileServed))] // 31 s behind, an endpoint served all along
    [InlineData(68u, true, nameof(FreshnessVerdict.ReadyOnStaleFigures))]
    public void WithoutAnOutage(uint block, bool ready, string expected)
    {
        // The verdict by name: the enum is internal to the bench.
        Assert.Equal(Enum.Parse<FreshnessVerdict>(expected), Chain(100).Judge(block, ready, S(100)));
    }

    [Fact]
    public void StaleAndNotReady_IsExcusedDuringAnOutage_AndForOneLimitAfterIt_NotLater()
    {
        var judge = Chain(200);
        judge.Serving(false, S(50));
        judge.Serving(true, S(90));

        Assert.Equal(FreshnessVerdict.ExcusedByOutage, judge.Judge(49, ready: false, S(85)));
        Assert.Equal(FreshnessVerdict.ExcusedByOutage, judge.Judge(49, ready: false, S(120)));
        Assert.Equal(FreshnessVerdict.StaleWhileServed, judge.Judge(49, ready: false, S(121)));
        Assert.Equal(FreshnessVerdict.ReadyOnStaleFigures, judge.Judge(49, ready: true, S(85)));
    }

    [Fact]
    public void AnOutageThatHasNotEnded_ExcusesUntilItEnds()
    {
        var judge = Chain(300);
        judge.Serving(false, S(100));
        judge.Serving(false, S(150)); // still out: one outage

        Assert.Equal(FreshnessVerdict.ExcusedByOutage, judge.Judge(99, ready: false, S(300)));
        Assert.Equal(FreshnessVerdict.StaleWhileServed, judge.Judge(40, ready: false, S(90)));
    }
}
