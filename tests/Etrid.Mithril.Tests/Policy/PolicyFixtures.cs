using Etrid.Burst.Market;
using Etrid.Burst.Policy;

namespace Etrid.Mithril.Tests.Policy;

internal static class PolicyFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static int _next;

    public static ObservedBid Bid(BidStatus status, bool current = true, int ageMinutes = 5, long limit = 2800, bool running = true, int? openMinutes = null, int? allocatedMinutes = null)
    {
        var n = Interlocked.Increment(ref _next);
        return new ObservedBid
        {
            Fid = $"bid_{n:000000}",
            Name = $"etrid-p-{(current ? "aaaaaaaa" : "bbbbbbbb")}-{n:00000}",
            Status = status,
            IsCurrent = current,
            CreatedAt = Now.AddMinutes(-ageMinutes),
            LimitCents = limit,
            OpenSince = status == BidStatus.Open ? Now.AddMinutes(-(openMinutes ?? 1)) : null,
            AllocatedSince = status == BidStatus.Allocated ? Now.AddMinutes(-(allocatedMinutes ?? 1)) : null,
            InstanceRunning = status == BidStatus.Allocated && running,
            RunningSince = status == BidStatus.Allocated && running ? Now.AddMinutes(-(allocatedMinutes ?? ageMinutes)) : null,
        };
    }

    public static PoolInput Pool(string name = "p", params ObservedBid[] bids) => new()
    {
        PoolName = name,
        GpusPerNode = 8,
        LimitCents = 2800,
        SpotPriceCents = 1600,
        MaxAgents = 10,
        Bids = bids,
    };
}
