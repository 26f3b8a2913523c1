namespace Etrid.Substrate.Rpc;

/// <summary>Settings of <see cref="SubstrateClient"/>.</summary>
public sealed class SubstrateClientOptions
{
    /// <summary>WebSocket endpoints (<c>ws://</c>, <c>wss://</c>), tried in order; <c>http(s)://</c> maps to <c>ws(s)://</c>.</summary>
    public IList<Uri> Endpoints { get; init; } = [];

    /// <summary>Longest wait for one call's answer. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a WebSocket handshake. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubles per failed attempt, with jitter. Default 500 ms.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest reconnect delay. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest incoming message accepted. Default 16 MiB (Substrate's own limit is 15 MB).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Expected block time, the unit of <see cref="WatchdogBlocks"/>. Default 6 s.</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Reconnect when a head subscription is silent for this many block times; 0 disables. Default 10.</summary>
    public int WatchdogBlocks { get; init; } = 10;

    /// <summary>Seed of the reconnect jitter, so tests are repeatable; null seeds from the clock.</summary>
    public int? JitterSeed { get; init; }

    /// <summary>The watchdog's limit: <see cref="WatchdogBlocks"/> block times.</summary>
    public TimeSpan WatchdogTimeout => BlockTime * WatchdogBlocks;

    /// <summary>Every problem with these settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string path = "chain")
    {
        var problems = new List<string>();
        if (Endpoints.Count == 0)
        {
            problems.Add($"{path}.endpoints: at least one endpoint is required");
        }

        for (var i = 0; i < Endpoints.Count; i++)
        {
            var e = Endpoints[i];
            if (!e.IsAbsoluteUri || e.Scheme is not ("ws" or "wss" or "http" or "https"))
            {
                problems.Add($"{path}.endpoints[{i}]: '{EndpointDisplay.Redact(e.ToString())}' must be a ws://, wss://, http:// or https:// URL");
            }
        }

        Positive(problems, $"{path}.request_timeout", RequestTimeout);
        Positive(problems, $"{path}.connect_timeout", ConnectTimeout);
        Positive(problems, $"{path}.reconnect_base_delay", ReconnectBaseDelay);
        Positive(problems, $"{path}.block_time", BlockTime);
        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            problems.Add($"{path}.reconnect_max_delay: must be at least reconnect_base_delay ({ReconnectBaseDelay})");
        }

        if (MaxMessageBytes < 64 * 1024)
        {
            problems.Add($"{path}.max_message_bytes: {MaxMessageBytes} is below the 65536 minimum");
        }

        if (WatchdogBlocks < 0)
        {
            problems.Add($"{path}.watchdog_blocks: {WatchdogBlocks} must be 0 (off) or more");
        }

        return problems;
    }

    private static void Positive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{key}: {value} must be positive");
        }
    }
}
