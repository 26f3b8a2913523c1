using Etrid.Bench.Soak;

namespace Etrid.Bench.Tests.Soak;

public sealed class SoakScheduleTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void TheSameSeed_GivesTheSameSchedule_AnotherSeedAnother()
    {
        Assert.Equal(SoakSchedule.Create(7, FiveMinutes), SoakSchedule.Create(7, FiveMinutes));
        Assert.NotEqual(SoakSchedule.Create(7, FiveMinutes), SoakSchedule.Create(8, FiveMinutes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FiveMinutes_HaveEveryKind_InsideTheQuietEnds(int seed)
    {
        var schedule = SoakSchedule.Create(seed, FiveMinutes);

        Assert.Equal(Enum.GetValues<SoakFaultKind>().Order(), schedule.Select(f => f.Kind).Distinct().Order());
        Assert.All(schedule, f => Assert.InRange(f.At, SoakSchedule.QuietStart, FiveMinutes - SoakSchedule.QuietEnd));
        Assert.All(schedule, f => Assert.True(f.At + f.Duration <= FiveMinutes - SoakSchedule.QuietEnd, $"{f} ends in the quiet end"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void FaultsOnOneNode_NeverOverlap(int seed)
    {
        var nodeFaults = SoakSchedule.Create(seed, TimeSpan.FromMinutes(30))
            .Where(f => f.Kind is SoakFaultKind.NodeKill or SoakFaultKind.NodeStop or SoakFaultKind.FlippedGenesis or SoakFaultKind.LaggingEndpoint);

        foreach (var node in nodeFaults.GroupBy(f => f.Node))
        {
            var ordered = node.OrderBy(f => f.At).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].At > ordered[i - 1].At + ordered[i - 1].Duration, $"{ordered[i]} starts before {ordered[i - 1]} ends");
            }
        }
    }
}
