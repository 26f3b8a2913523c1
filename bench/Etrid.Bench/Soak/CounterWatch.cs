using System.Globalization;

namespace Etrid.Bench.Soak;

/// <summary>
/// Remembers the last value of every never-decreasing series seen in successive <c>/metrics</c> answers
/// (Prometheus text 0.0.4 or OpenMetrics) and names each one that fell. Never decreasing: every sample whose
/// name has a <c>_total</c> part (<c>x_total</c>, and <c>etrid_gpu_earnings_total_edsc</c>, a gauge documented
/// never to decrease), and the <c>_count</c> and <c>_bucket</c> samples of histograms and summaries. A series
/// is its name with its label set as written; one that disappears and comes back is compared with its last value.
/// </summary>
internal sealed class CounterWatch
{
    // Samples of a histogram or summary family that never decrease.
    private static readonly string[] CountingSuffixes = ["_count", "_bucket"];

    private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);

    /// <summary>Series watched so far.</summary>
    public int Series => _last.Count;

    /// <summary>Takes one exposition and returns the series that are lower than in the answers before it.</summary>
    public IReadOnlyList<CounterFall> Observe(string exposition)
    {
        var falls = new List<CounterFall>();
        var histograms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[3] is "histogram" or "summary" or "gaugehistogram")
                {
                    histograms.Add(parts[2]);
                }

                continue;
            }

            if (line.Length == 0 || line[0] == '#' || ParseSample(line) is not { } sample || !NeverDecreases(sample.Name, histograms) || double.IsNaN(sample.Value))
            {
                continue;
            }

            if (_last.TryGetValue(sample.Series, out var highest) && sample.Value < highest)
            {
                // Named once: the next answer is compared with this one, so a fall is one fall however long it stays.
                falls.Add(new CounterFall(sample.Series, highest, sample.Value));
            }

            _last[sample.Series] = sample.Value;
        }

        return falls;
    }

    private static bool NeverDecreases(string name, HashSet<string> histograms)
    {
        if (name.EndsWith("_total", StringComparison.Ordinal) || name.Contains("_total_", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var suffix in CountingSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && histograms.Contains(name[..^suffix.Length]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One sample line: <c>name{labels} value [timestamp]</c>; null when it is not one.</summary>
    private static (string Name, string Series, double Value)? ParseSample(string line)
    {
        var nameEnd = line.IndexOfAny([' ', '{']);
        if (nameEnd <= 0)
        {
            return null;
        }

        var seriesEnd = nameEnd;
        if (line[nameEnd] == '{')
        {
            // Label values may hold spaces, braces and escaped quotes: the set ends at the first '}' outside quotes.
            var quoted = false;
            for (seriesEnd = nameEnd + 1; seriesEnd < line.Length; seriesEnd++)
            {
                var c = line[seriesEnd];
                if (quoted && c == '\\')
                {
                    seriesEnd++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '}')
                {
                    break;
                }
            }

            if (seriesEnd >= line.Length)
            {
                return null;
            }

            seriesEnd++;
        }

        var rest = line[seriesEnd..].TrimStart();
        var valueEnd = rest.IndexOf(' ', StringComparison.Ordinal);
        var text = valueEnd < 0 ? rest : rest[..valueEnd];
        double value = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => double.NaN,
        };
        return (line[..nameEnd], line[..seriesEnd], value);
    }
}
