using Etrid.DevChain.Chain;
using Etrid.DevChain.Runtime;
using Etrid.DevChain.Workloads;

namespace Etrid.DevChain.Tests.Workloads;

public class WorkloadProfileTests
{
    [Fact]
    public void RateAt_FollowsThePhases_AndRepeats()
    {
        var profile = new WorkloadProfile { Phases = [new(1, 3), new(5, 2)] };
        Assert.Equal(new double[] { 1, 1, 1, 5, 5, 1, 1, 1, 5, 5 }, Enumerable.Range(0, 10).Select(b => profile.RateAt(b)));
    }

    [Fact]
    public void RateAt_WithoutRepeat_HoldsTheLastPhase()
    {
        var profile = new WorkloadProfile { Phases = [new(1, 2), new(7, 1)], Repeat = false };
        Assert.Equal(7, profile.RateAt(1000));
    }

    [Fact]
    public void Bursty_SurgesWithinThirtySecondsAtTwoSecondBlocks_ForSixtyToNinetySeconds_ThenQuiet()
    {
        foreach (var seed in Enumerable.Range(1, 20))
        {
            var profile = WorkloadProfile.Bursty(3, seed);
            var firstSurge = Enumerable.Range(0, 1000).First(b => profile.RateAt(b) > 3);
            var surgeBlocks = Enumerable.Range(firstSurge, 1000).TakeWhile(b => profile.RateAt(b) > 3).Count();
            Assert.InRange(firstSurge * 2, 1, 30);
            Assert.InRange(surgeBlocks * 2, 60, 90);
            Assert.True(profile.RateAt(firstSurge + surgeBlocks) < 3);
        }

        Assert.Equal(WorkloadProfile.Bursty(3, 9).Phases, WorkloadProfile.Bursty(3, 9).Phases);
    }

    [Fact]
    public void BurstyDay_LastsADay_WithQuietNightsAndSurges()
    {
        var profile = WorkloadProfile.BurstyDay(2, 5);
        Assert.Equal(14_400, profile.CycleBlocks);
        Assert.Equal(0.5, profile.RateAt(0)); // 01:00 is night
        Assert.InRange(profile.Phases.Count(p => p.Name == "surge"), 3, 5);
        Assert.All(profile.Phases.Where(p => p.Name == "surge"), p => Assert.InRange(p.JobsPerBlock, 6, 12));
    }

    [Theory]
    [InlineData("2:10,8:5")]
    [InlineData("bursty")]
    [InlineData("constant")]
    [InlineData("day")]
    public void Parse_AcceptsNamesAndPhases(string text) => Assert.Empty(WorkloadProfile.Parse(text, 2, 1).Validate());

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("2:0")]
    [InlineData("-1:5")]
    public void Parse_RefusesWhatIsNotAProfile(string text) => Assert.Throws<FormatException>(() => WorkloadProfile.Parse(text, 2, 1));

    [Fact]
    public async Task DevChain_SubmitsAtTheProfilesRate()
    {
        var profile = new WorkloadProfile { Phases = [new(0, 20, "quiet"), new(30, 20, "surge")], Repeat = false };
        await using var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = 0, Gpus = 4, ArrivalRate = 50, BlockTime = TimeSpan.Zero, HistoryBlocks = 5, Workload = profile });
        var afterHistory = chain.GroundTruth().Jobs.Count;
        Assert.True(afterHistory > 100, "history blocks run at the base rate");

        chain.ProduceBlocks(20);
        Assert.Equal(afterHistory, chain.GroundTruth().Jobs.Count);
        Assert.Equal("surge", chain.CurrentPhase!.Name);

        chain.ProduceBlocks(20);
        var surge = chain.GroundTruth().Jobs.Count - afterHistory;
        Assert.InRange(surge, 450, 750); // 20 blocks × 30
        Assert.All(chain.GroundTruth().Jobs.Skip(afterHistory), j => Assert.True(j.SubmittedAt > 25 * 6));
    }

    [Fact]
    public async Task SetArrivalRate_LeavesTheProfile()
    {
        await using var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = 0, Gpus = 4, BlockTime = TimeSpan.Zero, Workload = WorkloadProfile.Constant(20) });
        chain.SetArrivalRate(0);
        chain.ProduceBlock();
        var jobs = chain.GroundTruth().Jobs.Count;
        chain.ProduceBlocks(10);
        Assert.Equal(jobs, chain.GroundTruth().Jobs.Count);
        Assert.Null(chain.CurrentPhase);
    }
}
