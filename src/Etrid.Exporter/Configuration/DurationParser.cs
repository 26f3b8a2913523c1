using System.Globalization;
using System.Text.RegularExpressions;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The one duration parser of the configuration and the command line: Go's syntax as the seed writes it
/// (<c>1h30m</c>, <c>1m30s</c>, <c>90s</c>, <c>500ms</c>, <c>1.5h</c>, <c>0</c>; units <c>ns</c>, <c>us</c>, <c>ms</c>,
/// <c>s</c>, <c>m</c>, <c>h</c>), plus plain seconds (<c>90</c>) as earlier versions read them. Never negative;
/// at most Go's longest duration (2562047h), so no value overflows <see cref="TimeSpan"/>.
/// </summary>
public static partial class DurationParser
{
    /// <summary>What a text that is not a duration is told.</summary>
    public const string NotADuration = "is not a duration (examples: 90s, 1m30s, 1h30m, 500ms)";

    /// <summary>What a duration longer than <see cref="Longest"/> is told.</summary>
    public const string OutOfRange = "is out of range (at most 2562047h, Go's longest duration)";

    /// <summary>Go's longest duration (the most nanoseconds an int64 holds), to the tick.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromTicks(long.MaxValue / TimeSpan.NanosecondsPerTick);

    /// <summary>Parses a duration; the message of the <see cref="FormatException"/> quotes the bad text.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"'{text}' {error}");

    /// <summary>Reads a duration; false for anything else.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Reads a duration; on failure <paramref name="error"/> says why (<see cref="NotADuration"/> or <see cref="OutOfRange"/>).</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = NotADuration;
        var t = text?.Trim().ToLowerInvariant() ?? "";
        if (t.Length is 0 or > 64)
        {
            return false;
        }

        decimal seconds;
        if (PlainNumber().IsMatch(t))
        {
            if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds))
            {
                error = OutOfRange;
                return false;
            }
        }
        else
        {
            var parts = Part().Matches(t);
            if (parts.Count == 0 || parts.Sum(m => m.Length) != t.Length)
            {
                return false;
            }

            seconds = 0;
            foreach (Match m in parts)
            {
                // The pattern admits only digits and a point, so a failed parse is a number beyond decimal.
                if (!decimal.TryParse(m.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
                {
                    error = OutOfRange;
                    return false;
                }

                var scale = m.Groups["unit"].Value switch
                {
                    "ns" => 0.000_000_001m,
                    "us" or "µs" or "μs" => 0.000_001m,
                    "ms" => 0.001m,
                    "s" => 1m,
                    "m" => 60m,
                    _ => 3600m,
                };

                // Checked against the limit before multiplying, so a long run of digits cannot overflow decimal either.
                if (n > (decimal)Longest.TotalSeconds / scale)
                {
                    error = OutOfRange;
                    return false;
                }

                seconds += n * scale;
            }
        }

        if (seconds > (decimal)Longest.TotalSeconds)
        {
            error = OutOfRange;
            return false;
        }

        value = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Formats a duration the way it is written in configuration: <c>6s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan value) => value.TotalMilliseconds % 1000 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms");

    [GeneratedRegex(@"^(?:\d+(?:\.\d*)?|\.\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d*)?|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
