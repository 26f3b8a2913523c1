using CsCheck;

namespace Etrid.Mithril.Tests.Invariants;

/// <summary>
/// The burst controller's rules on random days (<see cref="BurstDay"/>), checked after every tick by the
/// <see cref="BurstOracle"/>. Day i is generated from the fixed seed <c>PCG(i, 0xB0257)</c>, so a run is the same
/// every time; a broken rule is then handed to CsCheck, which shrinks it to the smallest failing day it finds and
/// reports that day's seed. <c>bench/burst-invariants.sh</c> runs the long form through this same test with
/// <c>ETRID_BURST_DAYS</c> days from day <c>ETRID_BURST_FIRST</c> on; <c>ETRID_BURST_SEED</c> replays one seed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BurstInvariantTests
{
    private const int ShortFormDays = 12;
    private const ulong SeedBase = 0xB0257;

    // A day mostly waits for virtual time to be pumped (see MarketHarness.PumpAsync), so days overlap well beyond the cores.
    private static readonly int Parallelism = Environment.ProcessorCount * 3;

    [Fact]
    public async Task RandomDays_NeverBreakTheRules()
    {
        var gen = BurstDay.Generator();
        var replay = Environment.GetEnvironmentVariable("ETRID_BURST_SEED");
        var days = int.TryParse(Environment.GetEnvironmentVariable("ETRID_BURST_DAYS"), out var n) && n > 0 ? n : ShortFormDays;
        var first = int.TryParse(Environment.GetEnvironmentVariable("ETRID_BURST_FIRST"), out var f) && f > 0 ? f : 0;
        var seeds = replay is { Length: > 0 } ? [replay] : Enumerable.Range(first, days).Select(i => new PCG((uint)i, SeedBase).ToString()).ToList();
        var ticks = 0L;
        var done = 0;
        await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (seed, cancellationToken) =>
        {
            var day = gen.Generate(PCG.Parse(seed), null!, out _);
            try
            {
                Interlocked.Add(ref ticks, await BurstDayRunner.RunAsync(day));
            }
            catch (BurstRuleBrokenException e)
            {
                // Shrink from the failing seed: CsCheck looks for smaller days that still fail and names the smallest.
                await gen.SampleAsync(async d => await BurstDayRunner.RunAsync(d), seed: seed, iter: 200, threads: 2);
                throw new BurstRuleBrokenException($"seed {seed} (CsCheck found nothing smaller): {e.Message}\n{day}");
            }

            if (Interlocked.Increment(ref done) % 500 == 0)
            {
                Console.WriteLine($"burst invariants: {done} of {seeds.Count} days");
            }
        });

        Console.WriteLine($"burst invariants: {seeds.Count} days, {ticks} ticks checked, no rule broken");
        Assert.True(ticks >= seeds.Count * 30L, $"only {ticks} ticks were checked");
    }
}
