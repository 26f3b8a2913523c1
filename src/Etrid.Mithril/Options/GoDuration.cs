using System.Globalization;
using System.Text.RegularExpressions;

namespace Etrid.Mithril.Options;

/// <summary>Go-style durations as the seed writes them: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>, <c>0</c>.</summary>
public static partial class GoDuration
{
    /// <summary>Reads a duration; false for anything else (negative, empty, unknown unit, over 10,000 hours).</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var t = text.Trim();
        if (t == "0")
        {
            return true;
        }

        var matches = Part().Matches(t);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != t.Length)
        {
            return false;
        }

        double seconds = 0;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups[2].Value switch
            {
                "ms" => n / 1000,
                "s" => n,
                "m" => n * 60,
                _ => n * 3600,
            };
        }

        if (seconds > 10_000 * 3600.0)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
