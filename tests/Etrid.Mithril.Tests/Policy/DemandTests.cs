using Etrid.Burst.Market;
using Etrid.Burst.Policy;
using static Etrid.Mithril.Tests.Policy.PolicyFixtures;

namespace Etrid.Mithril.Tests.Policy;

public sealed class DemandTests
{
    [Theory]
    [InlineData(0, 1.0, 0, 0)]
    [InlineData(10, 1.0, 4, 6)]
    [InlineData(10, 4.0, 0, 3)] // ceil(2.5)
    [InlineData(10, 4.0, 8, 0)]
    [InlineData(-5, 1.0, 0, 0)]
    public void BurstGpus_NeededLessLocal_NeverNegative(long pending, double perGpu, long local, long burst) =>
        Assert.Equal(burst, Demand.BurstGpus(pending, perGpu, local));

    [Theory]
    // 100 EDSC over 10 GPU-hours, 10 % fee, $1/EDSC → $9 per GPU-hour.
    [InlineData(100, 36000, 1000, 1, 0, 9, true)]
    [InlineData(100, 36000, 1000, 1, 0, 9.01, false)]
    [InlineData(100, 36000, 1000, 1, 0.5, 6, true)]
    [InlineData(100, 36000, 1000, 1, 0.5, 6.01, false)]
    [InlineData(0, 36000, 1000, 1, 0, 0.01, false)]
    [InlineData(100, 0, 1000, 1, 0, 0.01, false)]
    public void PaysForBurst_ComparesRevenuePerGpuHourWithSpotTimesMargin(double payment, long seconds, int feeBps, double rate, double margin, double spot, bool pays) =>
        Assert.Equal(pays, Demand.PaysForBurst((decimal)payment, seconds, feeBps, (decimal)rate, (decimal)margin, (decimal)spot));

    [Fact]
    public void Budget_LeftIsCeilingLessLiveLimits_PausedAndTerminatedExcluded()
    {
        var pool = Pool("p", Bid(BidStatus.Allocated, limit: 2800), Bid(BidStatus.Open, limit: 1000), Bid(BidStatus.Paused, limit: 5000), Bid(BidStatus.Terminated, limit: 5000));

        Assert.Equal(10_000 - 3800, Budget.LeftCents(100m, [pool]));
        Assert.Null(Budget.LeftCents(null, [pool]));
    }
}
