using System.Globalization;

namespace Etrid.Bench.Soak;

/// <summary>
/// Remembers the last value of every never-decreasing series seen in successive <c>/metrics</c> answers
/// (Prometheus text 0.0.4 or OpenMetrics) and names each one that fell. Never decreasing: every sample whose
/// name ends in <c>_total</c>, every sample of a family typed <c>counter</c> (but its <c>_created</c>), the
/// <c>_count</c> and <c>_bucket</c> samples of histograms and summaries, and <see cref="DocumentedNeverDecreasing"/>
/// (gauges by type, documented never to decrease). A gauge that merely has <c>_total_</c> in its name
/// (<c>dotnet_total_memory_bytes</c>) is not watched. A series
/// is its name with its label set as written; one that disappears and comes back is compared with its last value.
/// </summary>
internal sealed class CounterWatch
{
    /// <summary>Gauges documented never to decrease (a gauge only because the metric's name is kept from the seed).</summary>
    public static readonly IReadOnlySet<string> DocumentedNeverDecreasing = new HashSet<string>(StringComparer.Ordinal) { "etrid_gpu_earnings_total_edsc" };

    // Samples of a histogram or summary family that never decrease.
    private static readonly string[] CountingSuffixes = ["_count", "_bucket"];

    private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);

    /// <summary>Series watched so far.</summary>
    public int Series => _last.Count;

    /// <summary>Takes one exposition and returns the series that are lower than in the answers before it.</summary>
    public IReadOnlyList<CounterFall> Observe(string exposition)
    {
        var falls = new List<CounterFall>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4)
                {
                    types[parts[2]] = parts[3];
                }

                continue;
            }

            if (line.Length == 0 || line[0] == '#' || ParseSample(line) is not { } sample || !NeverDecreases(sample.Name, types) || double.IsNaN(sample.Value))
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

    private static bool NeverDecreases(string name, Dictionary<string, string> types)
    {
        if (name.EndsWith("_total", StringComparison.Ordinal) || DocumentedNeverDecreasing.Contains(name))
        {
            return true;
        }

        if (types.GetValueOrDefault(name) == "counter")
        {
            return true; // typed counter, named without _total (text format 0.0.4 of another library)
        }

        foreach (var suffix in CountingSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(name[..^suffix.Length]) is "histogram" or "summary" or "gaugehistogram")
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
