using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

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

    /// <summary>The chain's platform fee in basis points, taken from what the queue pays. Default 500 (5 %, the pallet's default).</summary>
    [ConfigurationKeyName("platform_fee_bps")]
    public int PlatformFeeBps { get; init; } = 500;

    /// <summary>Decimals of the chain's token (planck per EDSC = 10^this). Default 18.</summary>
    [ConfigurationKeyName("token_decimals")]
    public int TokenDecimals { get; init; } = 18;

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (Enabled && EdscUsdRate <= 0)
        {
            yield return $"{path}.edsc_usd_rate: must be positive when the guard is enabled ({EdscUsdRate})";
        }

        if (PlatformFeeBps is < 0 or > 10_000)
        {
            yield return $"{path}.platform_fee_bps: must be between 0 and 10000 ({PlatformFeeBps})";
        }

        if (TokenDecimals is < 0 or > 38)
        {
            yield return $"{path}.token_decimals: must be between 0 and 38 ({TokenDecimals})";
        }

        if (Margin < 0 || Margin > 10)
        {
            yield return $"{path}.margin: must be between 0 and 10 ({Margin})";
        }
    }
}
