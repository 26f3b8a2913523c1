using System.ComponentModel.DataAnnotations;
using Etrid.AiCompute.Follower;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Configuration;

/// <summary>The <c>chain</c> section: the nodes, freshness and how the chain is followed.</summary>
public sealed class ChainOptions
{
    /// <summary>WebSocket (or http, mapped to ws) endpoints, tried in order. Default <c>ws://127.0.0.1:9944</c>.</summary>
    [ConfigurationKeyName("endpoints")]
    public List<string> Endpoints { get; set; } = [];

    /// <summary><c>finalized</c> (default) or <c>best</c>.</summary>
    [ConfigurationKeyName("finality")]
    [RegularExpression("^(finalized|best)$", ErrorMessage = "{0} must be 'finalized' or 'best'")]
    public string Finality { get; set; } = "finalized";

    /// <summary>Older data is stale: not ready, <c>etrid_chain_up</c> 0, consumers refuse it. Default 60 s.</summary>
    [ConfigurationKeyName("staleness_limit")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "{0} must be 1s to 24h")]
    public TimeSpan StalenessLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for one call's answer. Default 30 s.</summary>
    [ConfigurationKeyName("request_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a WebSocket handshake. Default 10 s.</summary>
    [ConfigurationKeyName("connect_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting; doubles per failed attempt, with jitter. Default 500 ms.</summary>
    [ConfigurationKeyName("reconnect_base_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "{0} must be 1ms to 10m")]
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between reconnect attempts. Default 30 s.</summary>
    [ConfigurationKeyName("reconnect_max_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after the follower fails; doubles per failure, with jitter. Default 1 s.</summary>
    [ConfigurationKeyName("retry_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "{0} must be 1ms to 10m")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between the follower's attempts. Default 30 s.</summary>
    [ConfigurationKeyName("max_retry_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnect when no head arrives for this many block times; 0 disables. Default 10.</summary>
    [ConfigurationKeyName("watchdog_blocks")]
    [Range(0, 10_000, ErrorMessage = "{0} must be 0 (off) to 10000")]
    public int WatchdogBlocks { get; set; } = 10;

    /// <summary>The node's block time (the watchdog's unit, and how fast heads may plausibly advance). Default 6 s.</summary>
    [ConfigurationKeyName("block_time")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// The chain's genesis hash (<c>0x</c> + 64 hex digits): an endpoint answering another is refused. Default none:
    /// learned at the first connection and pinned for the life of the process.
    /// </summary>
    [ConfigurationKeyName("genesis_hash")]
    [RegularExpression("^0x[0-9a-fA-F]{64}$", ErrorMessage = "{0} must be 0x followed by 64 hex digits")]
    public string? GenesisHash { get; set; }

    /// <summary>
    /// Blocks a head may run ahead of what the elapsed time allows (elapsed / <c>block_time</c> after the kept state's head)
    /// before it is implausible and ignored. Default 100.
    /// </summary>
    [ConfigurationKeyName("head_tolerance_blocks")]
    [Range(1, 1_000_000, ErrorMessage = "{0} must be 1 to 1000000")]
    public int HeadToleranceBlocks { get; set; } = 100;

    /// <summary>Seconds the pallets' clock counts per block (their times are block × this). Default 6, as the pallets do.</summary>
    [ConfigurationKeyName("pallet_seconds_per_block")]
    [Range(1, 3600, ErrorMessage = "{0} must be 1 to 3600")]
    public int PalletSecondsPerBlock { get; set; } = 6;

    /// <summary>Largest message accepted from a node. Default 16 MiB.</summary>
    [ConfigurationKeyName("max_message_bytes")]
    [Range(65_536, 1 << 30, ErrorMessage = "{0} must be 65536 to 1073741824")]
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>"Recent" for waits and durations. Default 600 s.</summary>
    [ConfigurationKeyName("window")]
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "{0} must be 1s to 7d")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>How often the whole state is re-read to catch drift; 0s disables. Default 10 minutes.</summary>
    [ConfigurationKeyName("verify_interval")]
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "{0} must be 0s (off) to 7d")]
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest gap of skipped blocks filled block by block; more triggers a full sync. Default 100.</summary>
    [ConfigurationKeyName("max_gap_blocks")]
    [Range(1, 100_000, ErrorMessage = "{0} must be 1 to 100000")]
    public int MaxGapBlocks { get; set; } = 100;

    /// <summary>Value requests in flight during a full sync. Default 4.</summary>
    [ConfigurationKeyName("sync_parallelism")]
    [Range(1, 64, ErrorMessage = "{0} must be 1 to 64")]
    public int SyncParallelism { get; set; } = 4;

    /// <summary>Most jobs kept; a chain with more is an error. Default 5,000,000.</summary>
    [ConfigurationKeyName("max_jobs")]
    [Range(1, 100_000_000, ErrorMessage = "{0} must be 1 to 100000000")]
    public int MaxJobs { get; set; } = 5_000_000;

    /// <summary>Most GPUs kept; a chain with more is an error. Default 1,000,000.</summary>
    [ConfigurationKeyName("max_gpus")]
    [Range(1, 10_000_000, ErrorMessage = "{0} must be 1 to 10000000")]
    public int MaxGpus { get; set; } = 1_000_000;

    /// <summary>Most new job ids one block may bring; more is not plausible and an error. Default 10,000.</summary>
    [ConfigurationKeyName("max_new_jobs_per_block")]
    [Range(1, 1_000_000, ErrorMessage = "{0} must be 1 to 1000000")]
    public int MaxNewJobsPerBlock { get; set; } = 10_000;

    /// <summary>The endpoints to use: the configured ones, else the local default.</summary>
    public IReadOnlyList<string> EffectiveEndpoints => Endpoints.Count > 0 ? Endpoints : ["ws://127.0.0.1:9944"];

    /// <summary>The chain client's settings.</summary>
    public SubstrateClientOptions ToClientOptions() => new()
    {
        Endpoints = EffectiveEndpoints.Select(e => new Uri(e)).ToList(),
        RequestTimeout = RequestTimeout,
        ConnectTimeout = ConnectTimeout,
        WatchdogBlocks = WatchdogBlocks,
        BlockTime = BlockTime,
        MaxMessageBytes = MaxMessageBytes,
        ReconnectBaseDelay = ReconnectBaseDelay,
        ReconnectMaxDelay = ReconnectMaxDelay,
    };

    /// <summary>The follower's settings.</summary>
    public FollowerOptions ToFollowerOptions() => new()
    {
        Finality = Finality == "best" ? FinalityMode.Best : FinalityMode.Finalized,
        Window = Window,
        VerifyInterval = VerifyInterval,
        MaxGapBlocks = MaxGapBlocks,
        SyncParallelism = SyncParallelism,
        PalletSecondsPerBlock = PalletSecondsPerBlock,
        MaxJobs = MaxJobs,
        MaxGpus = MaxGpus,
        MaxNewJobsPerBlock = MaxNewJobsPerBlock,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        GenesisHash = GenesisHash,
        BlockTime = BlockTime,
        HeadToleranceBlocks = HeadToleranceBlocks,
    };

    /// <summary>Problems that involve more than one key or a list's items, each with its key path under <paramref name="path"/>.</summary>
    public IEnumerable<string> CrossChecks(string path)
    {
        var endpoints = EffectiveEndpoints;
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (!Uri.TryCreate(endpoints[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss" or "http" or "https") || uri.Host.Length == 0)
            {
                yield return $"{path}.endpoints[{i}]: '{EndpointDisplay.Redact(endpoints[i])}' must be a ws://, wss://, http:// or https:// URL";
            }
        }

        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            yield return $"{path}.reconnect_max_delay: {DurationParser.Format(ReconnectMaxDelay)} must be at least reconnect_base_delay ({DurationParser.Format(ReconnectBaseDelay)})";
        }

        if (MaxRetryDelay < RetryDelay)
        {
            yield return $"{path}.max_retry_delay: {DurationParser.Format(MaxRetryDelay)} must be at least retry_delay ({DurationParser.Format(RetryDelay)})";
        }

        if (Window.TotalSeconds < PalletSecondsPerBlock)
        {
            yield return $"{path}.window: {DurationParser.Format(Window)} must be at least one block ({PalletSecondsPerBlock}s of pallet time)";
        }
    }
}
