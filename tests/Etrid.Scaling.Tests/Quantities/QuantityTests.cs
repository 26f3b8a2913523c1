using Etrid.Scaling.Quantities;

namespace Etrid.Scaling.Tests.Quantities;

public sealed class QuantityTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(42, "42")]
    [InlineData(1.5, "1500m")]
    [InlineData(0.25, "250m")]
    [InlineData(0.0004, "0")]
    [InlineData(0.0006, "1m")]
    [InlineData(33.3333333, "33333m")]
    [InlineData(1e12, "1000000000000")]
    [InlineData(57, "57")]
    public void TryFormat_Value_GivesMilliUnitsOnlyWhenNeeded(double value, string expected)
    {
        Assert.True(Quantity.TryFormat(value, out var text));
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1)]
    [InlineData(1e16)]
    public void TryFormat_NoValidQuantity_ReturnsFalse(double value)
    {
        Assert.False(Quantity.TryFormat(value, out _));
    }

    [Theory]
    [InlineData("23", 23000)]
    [InlineData("1500m", 1500)]
    [InlineData("250m", 250)]
    [InlineData("1.0001", 1001)] // ceil, as apimachinery's MilliValue
    [InlineData("1k", 1000000)]
    [InlineData("2Ki", 2048000)]
    [InlineData("1e3", 1000000)]
    [InlineData("100n", 1)]
    [InlineData("0", 0)]
    public void ParseMilli_Quantity_GivesCeilOfThousandfold(string quantity, long milli)
    {
        Assert.Equal(milli, Quantity.ParseMilli(quantity));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("abc")]
    [InlineData("1x")]
    public void ParseMilli_NotAQuantity_Throws(string quantity)
    {
        Assert.Throws<FormatException>(() => Quantity.ParseMilli(quantity));
    }
}
