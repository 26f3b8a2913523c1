namespace Etrid.Burst.Policy;

/// <summary>The hourly spend ceiling (pure): live bids' limits may never add up to more.</summary>
public static class Budget
{
    /// <summary>Cents per hour still free under <c>max_hourly_spend_usd</c> (null = no ceiling); negative when already over.</summary>
    public static long? LeftCents(decimal? maxHourlySpendUsd, IEnumerable<PoolInput> pools) =>
        maxHourlySpendUsd is { } max
            ? (long)decimal.Floor(max * 100m) - pools.SelectMany(p => p.Live).Sum(b => b.LimitCents)
            : null;
}
