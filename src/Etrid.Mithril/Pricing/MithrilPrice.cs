using System.Globalization;

namespace Etrid.Mithril.Pricing;

/// <summary>
/// Money on the Mithril wire. Limit prices are dollar strings per <b>instance</b>-hour (<c>"$28.00"</c>);
/// our configuration is per <b>GPU</b>-hour, so the figure sent is the per-GPU price × the instance
/// type's GPU count, rounded down to the cent so it never exceeds the configured ceiling.
/// </summary>
public static class MithrilPrice
{
    /// <summary>Largest price handled, in cents ($10,000,000 an hour): anything above is a typo or hostile.</summary>
    public const long MaxCents = 1_000_000_000;

    /// <summary>
    /// The per-instance-hour limit in cents for a per-GPU-hour limit: <c>floor(perGpuHour × numGpus × 100)</c>.
    /// Throws when the GPU count is not positive, the price is negative, or the result is below one cent or absurdly large.
    /// </summary>
    public static long InstanceLimitCents(decimal limitPerGpuHour, int numGpus)
    {
        if (numGpus <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numGpus), numGpus, "the instance type has no GPUs");
        }

        if (limitPerGpuHour < 0 || limitPerGpuHour > MaxCents / 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, "the price per GPU-hour is out of range");
        }

        var cents = decimal.Floor(limitPerGpuHour * numGpus * 100m);
        if (cents < 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, $"the limit per instance-hour ({limitPerGpuHour} × {numGpus} GPUs) is below $0.01");
        }

        if (cents > MaxCents)
        {
            throw new ArgumentOutOfRangeException(nameof(limitPerGpuHour), limitPerGpuHour, "the limit per instance-hour is out of range");
        }

        return (long)cents;
    }

    /// <summary>The API's dollar string for a per-instance-hour limit given per GPU-hour.</summary>
    public static string InstanceLimit(decimal limitPerGpuHour, int numGpus) => Format(InstanceLimitCents(limitPerGpuHour, numGpus));

    /// <summary>Cents as the API's dollar string: <c>2800</c> → <c>"$28.00"</c> (invariant culture, no separators).</summary>
    public static string Format(long cents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cents);
        return "$" + (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a dollar string (<c>"$15.60"</c>, also without <c>$</c>) into cents; false for anything else.</summary>
    public static bool TryParseCents(string? text, out long cents)
    {
        cents = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }

        var t = text.Trim();
        if (t.StartsWith('$'))
        {
            t = t[1..];
        }

        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var dollars))
        {
            return false;
        }

        var exact = dollars * 100m;
        if (exact != decimal.Truncate(exact) || exact > MaxCents)
        {
            return false;
        }

        cents = (long)exact;
        return true;
    }

    /// <summary>Reads a dollar string into cents; throws <see cref="FormatException"/> quoting it otherwise.</summary>
    public static long ParseCents(string text) =>
        TryParseCents(text, out var cents) ? cents : throw new FormatException($"'{text}' is not a dollar amount like \"$28.00\"");

    /// <summary>A per-instance-hour price in cents as dollars per GPU-hour (for display and comparisons in the configured unit).</summary>
    public static decimal PerGpuHour(long instanceCents, int numGpus)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numGpus);
        return instanceCents / 100m / numGpus;
    }
}
