using System.Diagnostics;
using System.Globalization;

namespace Etrid.Bench;

/// <summary>Runs an action repeatedly after warm-up and reports the median and p99 in milliseconds.</summary>
internal static class Measure
{
    public static (double Median, double P99) Time(Action action, int warmup = 3, int runs = 20)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[runs / 2], samples[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.99) - 1)]);
    }

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
