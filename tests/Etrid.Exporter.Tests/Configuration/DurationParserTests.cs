using Etrid.Exporter.Configuration;

namespace Etrid.Exporter.Tests.Configuration;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1m30s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5h", 5400)]
    [InlineData("1500us", 0.0015)]
    [InlineData("2562047h", 2562047 * 3600.0)]
    [InlineData("6S", 6)]
    [InlineData("90", 90)]
    [InlineData("0", 0)]
    public void Valid(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("", DurationParser.NotADuration)]
    [InlineData("-1s", DurationParser.NotADuration)]
    [InlineData("1d", DurationParser.NotADuration)]
    [InlineData("1h 30m", DurationParser.NotADuration)]
    [InlineData("00:01:30", DurationParser.NotADuration)]
    [InlineData("2562048h", DurationParser.OutOfRange)]
    [InlineData("99999999999999999999999999999999999h", DurationParser.OutOfRange)]
    public void Invalid_SaysWhy(string text, string why)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Equal(why, error);
    }
}
