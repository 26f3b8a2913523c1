using System.Globalization;
using Etrid.Mithril.Pricing;

namespace Etrid.Mithril.Tests.Pricing;

public sealed class MithrilPriceTests
{
    /// <summary>
    /// The oracle works on the decimal text with integers only: micro-dollars per GPU-hour × GPUs,
    /// floored to cents by integer division, written as "$D.CC". It never calls the code under test.
    /// </summary>
    private static string Oracle(string perGpuHour, int gpus)
    {
        var parts = perGpuHour.Split('.');
        var whole = long.Parse(parts[0], CultureInfo.InvariantCulture);
        var fraction = parts.Length > 1 ? parts[1].PadRight(6, '0')[..6] : "000000";
        var micro = whole * 1_000_000 + long.Parse(fraction, CultureInfo.InvariantCulture);
        var cents = micro * gpus / 10_000;
        return "$" + (cents / 100).ToString(CultureInfo.InvariantCulture) + "." + (cents % 100).ToString("00", CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("3.50", 8, "$28.00")] // the spec's example
    [InlineData("12.29", 8, "$98.32")]
    [InlineData("2.00", 1, "$2.00")]
    [InlineData("0.333", 3, "$0.99")] // 0.999 rounds down, never up to $1.00
    [InlineData("1.005", 1, "$1.00")]
    [InlineData("1.999", 4, "$7.99")] // 7.996 floors
    [InlineData("0.01", 1, "$0.01")]
    [InlineData("0.125", 8, "$1.00")]
    [InlineData("15", 8, "$120.00")]
    [InlineData("4.1234", 2, "$8.24")]
    public void InstanceLimit_PerGpuPriceTimesGpuCount_FloorsToTheCent(string perGpuHour, int gpus, string expected)
    {
        Assert.Equal(expected, Oracle(perGpuHour, gpus)); // the oracle agrees with the hand-written figure
        Assert.Equal(expected, MithrilPrice.InstanceLimit(decimal.Parse(perGpuHour, CultureInfo.InvariantCulture), gpus));
    }

    [Fact]
    public void InstanceLimit_AgreesWithTheOracle_OverASeededSweep()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var text = (random.Next(0, 5000) / 100m + random.Next(0, 10) / 1000m).ToString("0.000", CultureInfo.InvariantCulture);
            var gpus = random.Next(1, 17);
            var expected = Oracle(text, gpus);
            if (expected == "$0.00")
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => MithrilPrice.InstanceLimit(decimal.Parse(text, CultureInfo.InvariantCulture), gpus));
                continue;
            }

            Assert.Equal(expected, MithrilPrice.InstanceLimit(decimal.Parse(text, CultureInfo.InvariantCulture), gpus));
        }
    }

    [Fact]
    public void InstanceLimit_ThePerGpuFigureSentUnchanged_IsNotWhatWeSend()
    {
        // The reference backend sent 3.50 for a whole 8-GPU node; ours must be 8× that.
        Assert.NotEqual("$3.50", MithrilPrice.InstanceLimit(3.50m, 8));
    }

    [Theory]
    [InlineData("0.001", 1)] // below one cent
    [InlineData("0.004", 2)]
    [InlineData("-1", 8)]
    public void InstanceLimit_BelowOneCentOrNegative_Throws(string perGpuHour, int gpus) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MithrilPrice.InstanceLimit(decimal.Parse(perGpuHour, CultureInfo.InvariantCulture), gpus));

    [Theory]
    [InlineData(0)]
    [InlineData(-8)]
    public void InstanceLimit_TypeWithoutGpus_Throws(int gpus) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MithrilPrice.InstanceLimit(3.5m, gpus));

    [Theory]
    [InlineData("$28.00", 2800)]
    [InlineData("$15.6", 1560)]
    [InlineData("10", 1000)]
    [InlineData("$0.01", 1)]
    public void TryParseCents_DollarStrings_ReadsCents(string text, long cents)
    {
        Assert.True(MithrilPrice.TryParseCents(text, out var read));
        Assert.Equal(cents, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$")]
    [InlineData("$3,50")]
    [InlineData("$1.005")]
    [InlineData("-$1.00")]
    [InlineData("$-1.00")]
    [InlineData("$1e3")]
    [InlineData("$99999999999999999999.00")]
    public void TryParseCents_NotAPrice_IsFalse(string text) => Assert.False(MithrilPrice.TryParseCents(text, out _));

    [Theory]
    [InlineData(2800, "$28.00")]
    [InlineData(5, "$0.05")]
    [InlineData(0, "$0.00")]
    [InlineData(123456, "$1234.56")]
    public void Format_Cents_WritesInvariantDollars(long cents, string expected) => Assert.Equal(expected, MithrilPrice.Format(cents));
}
