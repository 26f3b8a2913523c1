using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Etrid.Substrate.Rpc;

/// <summary>
/// Settings of <see cref="SubstrateClient"/>, bound from the exporter's <c>chain</c> section (each key on its property);
/// checked by <see cref="SubstrateClientOptionsValidator"/>, the one set of rules for configuration and constructor alike.
/// </summary>
public sealed class SubstrateClientOptions : IValidatableObject
{
    /// <summary>WebSocket (or http, mapped to ws) endpoints, tried in order. The exporter's default: <c>ws://127.0.0.1:9944</c>.</summary>
    [ConfigurationKeyName("endpoints")]
    public IList<Uri> Endpoints { get; init; } = [];

    /// <summary>Longest wait for one call's answer. Default 30 s.</summary>
    [ConfigurationKeyName("request_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a WebSocket handshake. Default 10 s.</summary>
    [ConfigurationKeyName("connect_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting; doubles per failed attempt, with jitter. Default 500 ms.</summary>
    [ConfigurationKeyName("reconnect_base_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "{0} must be 1ms to 10m")]
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between reconnect attempts. Default 30 s.</summary>
    [ConfigurationKeyName("reconnect_max_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest message accepted from a node. Default 16 MiB (Substrate's own limit is 15 MB).</summary>
    [ConfigurationKeyName("max_message_bytes")]
    [Range(65_536, 1 << 30, ErrorMessage = "{0} must be 65536 to 1073741824")]
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The node's block time (the watchdog's unit, and how fast heads may plausibly advance). Default 6 s.</summary>
    [ConfigurationKeyName("block_time")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Reconnect when no head arrives for this many block times (at most 24 h in all); 0 disables. Default 10.</summary>
    [ConfigurationKeyName("watchdog_blocks")]
    [Range(0, 10_000, ErrorMessage = "{0} must be 0 (off) to 10000")]
    public int WatchdogBlocks { get; init; } = 10;

    /// <summary>Seed of the reconnect jitter, so tests are repeatable; null seeds from the clock. Not a configuration key.</summary>
    public int? JitterSeed { get; init; }

    /// <summary>The longest watchdog limit accepted.</summary>
    public static readonly TimeSpan MaxWatchdogTimeout = TimeSpan.FromHours(24);

    /// <summary>The watchdog's limit: <see cref="WatchdogBlocks"/> block times.</summary>
    public TimeSpan WatchdogTimeout => BlockTime * WatchdogBlocks;

    /// <summary>The rules that involve a list's items or more than one key (the generated validator runs them after the attributes).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoints.Count == 0)
        {
            yield return new ValidationResult("at least one endpoint is required", [nameof(Endpoints)]);
        }

        for (var i = 0; i < Endpoints.Count; i++)
        {
            var e = Endpoints[i];
            if (!e.IsAbsoluteUri || e.Scheme is not ("ws" or "wss" or "http" or "https") || e.Host.Length == 0)
            {
                yield return new ValidationResult($"'{EndpointDisplay.Redact(e.OriginalString)}' must be a ws://, wss://, http:// or https:// URL", [$"{nameof(Endpoints)}[{i}]"]);
            }
        }

        // The watchdog checks four times per limit on a timer, and a day without a head is no longer a watchdog.
        if (WatchdogBlocks > 0 && WatchdogTimeout > MaxWatchdogTimeout)
        {
            yield return new ValidationResult($"{WatchdogBlocks} block times of {Format(BlockTime)} is {Format(WatchdogTimeout)}; the watchdog's limit must be at most 24h (lower watchdog_blocks or block_time, or 0 to turn it off)", [nameof(WatchdogBlocks)]);
        }

        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            yield return new ValidationResult($"{Format(ReconnectMaxDelay)} must be at least reconnect_base_delay ({Format(ReconnectBaseDelay)})", [nameof(ReconnectMaxDelay)]);
        }
    }

    /// <summary>A duration as the configuration writes it (<c>500ms</c>, <c>30s</c>, <c>1m30s</c>).</summary>
    internal static string Format(TimeSpan value) => value.Ticks % TimeSpan.TicksPerSecond != 0 || value == TimeSpan.Zero
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s");
}
