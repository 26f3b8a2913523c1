using System.Numerics;
using Etrid.AiCompute.Figures;

namespace Etrid.AiCompute.Tests.Figures;

public class BalanceTests
{
    [Theory]
    [InlineData("1000000000000000000", 500, "950000000000000000")]
    [InlineData("1234567", 500, "1172839")]
    [InlineData("0", 500, "0")]
    [InlineData("340282366920938463463374607431768211455", 500, "340248338684246369617028269971025034634")]
    public void Earned_FollowsThePalletsSaturatingFeeRule(string payment, ushort bps, string expected)
    {
        // 2^128-1: payment x 500 saturates at 2^128-1, so the fee is (2^128-1)/10000.
        Assert.Equal(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Balance.Earned(UInt128.Parse(payment, System.Globalization.CultureInfo.InvariantCulture), bps));
    }

    [Theory]
    [InlineData("123456789012345678901234567", 123456789.01234567)]
    [InlineData("100000000000000000000", 100.0)]
    [InlineData("950000000000000000", 0.95)]
    [InlineData("0", 0.0)]
    [InlineData("340282366920938463463374607431768211455", 3.402823669209385e20)]
    public void ToTokens_KeepsTheFraction_FromABigIntegerOrAU128(string planck, double expected)
    {
        var tolerance = 1e-9 * Math.Max(1, expected);
        Assert.Equal(expected, Balance.ToTokens(BigInteger.Parse(planck, System.Globalization.CultureInfo.InvariantCulture), 18), tolerance);
        Assert.Equal(expected, Balance.ToTokens(UInt128.Parse(planck, System.Globalization.CultureInfo.InvariantCulture), 18), tolerance);
    }

    [Fact]
    public void ToTokens_OfU128_WithMoreDecimalsThanU128Holds_IsStillRight()
    {
        Assert.Equal(1e-39, Balance.ToTokens((UInt128)1, 39), 1e-50);
    }
}
