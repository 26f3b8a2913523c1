using Microsoft.Extensions.Configuration;

namespace Etrid.Mithril.Options;

/// <summary><c>economic_guard</c>: burst only when the queue pays at least the spot price per GPU-hour × (1 + margin).</summary>
public sealed class EconomicGuardOptions
{
    /// <summary>Off by default: the guard is a setting, not a surprise.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>USD per EDSC used to value pending payments.</summary>
    [ConfigurationKeyName("edsc_usd_rate")]
    public decimal EdscUsdRate { get; init; }

    /// <summary>Required margin over the spot price (0.2 = 20 %). Default 0.</summary>
    [ConfigurationKeyName("margin")]
    public decimal Margin { get; init; }

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (Enabled && EdscUsdRate <= 0)
        {
            yield return $"{path}.edsc_usd_rate: must be positive when the guard is enabled ({EdscUsdRate})";
        }

        if (Margin < 0 || Margin > 10)
        {
            yield return $"{path}.margin: must be between 0 and 10 ({Margin})";
        }
    }
}
