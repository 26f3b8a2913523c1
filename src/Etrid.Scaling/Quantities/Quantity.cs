using System.Globalization;

namespace Etrid.Scaling.Quantities;

/// <summary>
/// Kubernetes resource quantities as the external metrics API carries them. The HPA reads only
/// <c>MilliValue()</c> (ceil(q × 1000)), so values are written as exact milli-units when they have a
/// fraction: m = round(v × 1000); whole → <c>"42"</c>, else <c>"1500m"</c>.
/// </summary>
public static class Quantity
{
    /// <summary>Largest value written: the milli-value must fit an int64, as in apimachinery.</summary>
    public const double MaxValue = 9.2e15;

    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m),
        ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>Formats <paramref name="value"/>, or returns false for NaN, infinities, negatives and values beyond <see cref="MaxValue"/>.</summary>
    public static bool TryFormat(double value, out string quantity)
    {
        quantity = string.Empty;
        if (!double.IsFinite(value) || value < 0 || value > MaxValue)
        {
            return false;
        }

        var milli = (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);
        quantity = milli % 1000 == 0
            ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
            : milli.ToString(CultureInfo.InvariantCulture) + "m";
        return true;
    }

    /// <summary>Parses a quantity string into the milli-value the HPA uses: ceil(q × 1000).</summary>
    /// <exception cref="FormatException">Not a quantity.</exception>
    public static long ParseMilli(string quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var text = quantity.Trim();
        if (text.Length is 0 or > 64)
        {
            throw new FormatException($"'{quantity}' is not a quantity");
        }

        var factor = 1m;
        foreach (var (suffix, f) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length
                && (char.IsAsciiDigit(text[^(suffix.Length + 1)]) || text[^(suffix.Length + 1)] == '.'))
            {
                factor = f;
                text = text[..^suffix.Length];
                break;
            }
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"'{quantity}' is not a quantity");
        }

        try
        {
            return (long)decimal.Ceiling(number * factor * 1000m);
        }
        catch (OverflowException e)
        {
            throw new FormatException($"'{quantity}' is out of range", e);
        }
    }
}
