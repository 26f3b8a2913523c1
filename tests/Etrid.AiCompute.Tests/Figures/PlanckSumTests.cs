using System.Globalization;
using System.Numerics;
using Etrid.AiCompute.Figures;

namespace Etrid.AiCompute.Tests.Figures;

public class PlanckSumTests
{
    private static readonly BigInteger TwoTo128 = BigInteger.One << 128;

    [Fact]
    public void Empty_IsZero()
    {
        var sum = default(PlanckSum);

        Assert.Equal(BigInteger.Zero, sum.Value);
        Assert.Equal(0.0, sum.ToTokens(18));
    }

    [Fact]
    public void SmallAmounts_SumExactly()
    {
        var sum = default(PlanckSum);
        var random = new Random(7);
        var expected = BigInteger.Zero;
        for (var i = 0; i < 1000; i++)
        {
            var amount = new BigInteger(random.NextInt64()) * 1_000_000_000_000L;
            expected += amount;
            sum.Add(amount);
        }

        Assert.Equal(expected, sum.Value);
    }

    [Fact]
    public void CarriesPast2To128_AreKept()
    {
        var sum = default(PlanckSum);
        var max = TwoTo128 - 1;

        sum.Add(max);
        sum.Add(max);
        sum.Add(5);

        Assert.Equal((2 * max) + 5, sum.Value);
        Assert.Equal((double)((2 * max) + 5) / 1e18, sum.ToTokens(18), 1e6);
    }

    [Fact]
    public void AmountsBeyondU128_AndNegative_TakeTheExactPath()
    {
        var sum = default(PlanckSum);
        var huge = BigInteger.Parse("1000000000000000000000000000000000000000000000", CultureInfo.InvariantCulture);

        sum.Add(huge);
        sum.Add(3);
        sum.Add(-1);

        Assert.Equal(huge + 2, sum.Value);
    }

    [Fact]
    public void AmountsThatCancel_SumToZero_ThroughTheExactPath()
    {
        var sum = default(PlanckSum);

        sum.Add(-1_000_000);
        sum.Add(1_000_000);

        Assert.Equal(BigInteger.Zero, sum.Value);
        Assert.Equal(0.0, sum.ToTokens(18));
    }

    [Theory]
    [InlineData("950000000000000000", 0.95)]
    [InlineData("123456789012345678901234567", 123456789.01234567)]
    public void ToTokens_KeepsTheFraction(string planck, double expected)
    {
        var sum = default(PlanckSum);
        sum.Add(BigInteger.Parse(planck, CultureInfo.InvariantCulture));

        Assert.Equal(expected, sum.ToTokens(18), 1e-9 * Math.Max(1, expected));
    }
}
