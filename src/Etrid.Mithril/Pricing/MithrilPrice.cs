using System.Globalization;
using Etrid.Burst.Pricing;

namespace Etrid.Mithril.Pricing;

/// <summary>
/// Money on the Mithril wire: limit prices are dollar strings per <b>instance</b>-hour (<c>"$28.00"</c>); the
/// per-GPU-hour configuration becomes a per-instance figure by <see cref="GpuHourPrice"/>.
/// </summary>
public static class MithrilPrice
{
    /// <summary>Largest price handled, in cents ($10,000,000 an hour): anything above is a typo or hostile.</summary>
    public const long MaxCents = GpuHourPrice.MaxCents;

    /// <summary>The API's dollar string for a per-instance-hour limit given per GPU-hour.</summary>
    public static string InstanceLimit(decimal limitPerGpuHour, int numGpus) => Format(GpuHourPrice.InstanceLimitCents(limitPerGpuHour, numGpus));

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
}
