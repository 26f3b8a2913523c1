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

    /// <summary>Produces blocks and returns the time until the follower published the last one's snapshot.</summary>
    public static async Task<double> OneBlockAsync(DevChain.Chain.DevChain chain, Etrid.AiCompute.Snapshots.ChainSnapshotHub hub, int blocks)
    {
        var target = chain.Best.Number + (uint)blocks;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = hub.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        if (hub.Current is not null)
        {
            await watch.MoveNextAsync(); // the current one
        }

        // Timed from the moment the last block is announced: the dev chain's own work is not the exporter's.
        chain.ProduceBlocks(blocks);
        var sw = Stopwatch.StartNew();
        while (await watch.MoveNextAsync() && watch.Current.BlockNumber < target)
        {
        }

        return sw.Elapsed.TotalMilliseconds;
    }

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
