namespace Etrid.Bench.Soak;

/// <summary>
/// The seeded fault schedule of a soak: the same seed and length give the same faults at the same times, so a
/// failing run is replayed with its <c>--seed</c>. Faults start after a quiet first <see cref="QuietStart"/> and
/// end a <see cref="QuietEnd"/> before the end (the last checks see the recovery); one every 4 to 12 s; the first
/// six are the six kinds in a seeded order, so a run of a few minutes has each. Faults on one node never overlap
/// (a node is killed, stopped or flipped one at a time), nor do two storms; faults on different nodes do, so both
/// endpoints are sometimes out at once (an outage).
/// </summary>
internal static class SoakSchedule
{
    public static readonly TimeSpan QuietStart = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan QuietEnd = TimeSpan.FromSeconds(30);

    /// <summary>Largest lag of the second endpoint, in blocks.</summary>
    public const int MaxLag = 8;

    public static IReadOnlyList<SoakFault> Create(int seed, TimeSpan length)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<SoakFaultKind>();
        var first = kinds.OrderBy(_ => random.Next()).ToList();
        var busyUntil = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var faults = new List<SoakFault>();
        var at = QuietStart;
        var end = length - QuietEnd;
        while (at < end)
        {
            var kind = faults.Count < first.Count ? first[faults.Count] : kinds[random.Next(kinds.Length)];
            // The first node is the one the exporter prefers: it takes two in three node faults.
            var node = kind == SoakFaultKind.LaggingEndpoint ? 1 : random.Next(3) == 0 ? 1 : 0;
            var (duration, lag) = kind switch
            {
                SoakFaultKind.NodeKill => (Seconds(random, 3, 15), 0),
                SoakFaultKind.NodeStop => (Seconds(random, 5, 20), 0),
                SoakFaultKind.FlippedGenesis => (Seconds(random, 5, 20), 0),
                SoakFaultKind.ScrapeStorm => (Seconds(random, 8, 15), 0),
                SoakFaultKind.LaggingEndpoint => (TimeSpan.Zero, random.Next(1, MaxLag + 1)),
                _ => (TimeSpan.Zero, 0),
            };
            var resource = kind switch
            {
                SoakFaultKind.ScrapeStorm => "storm",
                SoakFaultKind.ConnectionChurn => "churn",
                _ => $"node {node}",
            };
            duration = Min(duration, end - at);
            if (busyUntil.GetValueOrDefault(resource) <= at)
            {
                faults.Add(new SoakFault(kind, at, duration, node, lag));
                // A churn round takes a few seconds however long it is scheduled for.
                busyUntil[resource] = at + duration + TimeSpan.FromSeconds(kind == SoakFaultKind.ConnectionChurn ? 10 : 1);
            }

            at += Seconds(random, 4, 12);
        }

        return faults;
    }

    private static TimeSpan Seconds(Random random, int min, int max) => TimeSpan.FromSeconds(random.Next(min, max + 1));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
