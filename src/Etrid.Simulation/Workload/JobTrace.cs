using Etrid.DevChain.Workloads;

namespace Etrid.Simulation.Workload;

/// <summary>
/// The day's jobs, drawn once from the seed: Poisson arrivals per 6 s block at the rate of the
/// <see cref="WorkloadProfile"/>, each with a run time uniform between the configured bounds. Both policies and
/// the lower bound replay the same trace.
/// </summary>
public static class JobTrace
{
    /// <summary>Seconds per block of the profile (the chain's block time).</summary>
    public const int SecondsPerBlock = 6;

    /// <summary>The jobs of <paramref name="profile"/> over <paramref name="seconds"/>, in arrival order.</summary>
    public static IReadOnlyList<SimJob> Generate(WorkloadProfile profile, int seconds, TimeSpan minDuration, TimeSpan maxDuration, int seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var random = new Random(unchecked((seed * 65_537) + 3));
        var jobs = new List<SimJob>();
        var min = (int)minDuration.TotalSeconds;
        var max = Math.Max(min, (int)maxDuration.TotalSeconds);
        for (var block = 0; block * SecondsPerBlock < seconds; block++)
        {
            var arrivals = Poisson(random, profile.RateAt(block));
            for (var i = 0; i < arrivals; i++)
            {
                // Spread within the block, so arrivals are not all on block boundaries.
                var at = (block * SecondsPerBlock) + random.Next(SecondsPerBlock);
                jobs.Add(new SimJob(jobs.Count, at, random.Next(min, max + 1)));
            }
        }

        return jobs.OrderBy(j => j.ArrivalSeconds).ThenBy(j => j.Id).Select((j, i) => j with { Id = i }).ToList();
    }

    /// <summary>The base rate (jobs per block) that keeps <paramref name="utilisation"/> of <paramref name="gpus"/> busy.</summary>
    public static double BaseRate(int gpus, double utilisation, TimeSpan minDuration, TimeSpan maxDuration)
    {
        var meanSeconds = (minDuration.TotalSeconds + maxDuration.TotalSeconds) / 2;
        return meanSeconds <= 0 ? 0 : gpus * utilisation * SecondsPerBlock / meanSeconds;
    }

    private static int Poisson(Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        // Knuth's method; the rates of a day stay far below where it gets slow.
        var limit = Math.Exp(-Math.Min(mean, 500));
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
