using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Etrid.AiCompute.Follower;

/// <summary>Which head the figures follow.</summary>
public enum FinalityMode
{
    /// <summary>The finalized head: never rolls back (default).</summary>
    Finalized,

    /// <summary>The best head: fresher, but a re-org can change what was shown.</summary>
    Best,
}

/// <summary>
/// Settings of <see cref="ChainFollower"/> and of the snapshots it publishes, bound from the exporter's <c>chain</c>
/// section (each key on its property); checked by <see cref="FollowerOptionsValidator"/>, the one set of rules for
/// configuration and constructor alike.
/// </summary>
public sealed class FollowerOptions : IValidatableObject
{
    /// <summary><c>finalized</c> (default: never rolls back) or <c>best</c> (fresher, but a re-org can change what was shown).</summary>
    [ConfigurationKeyName("finality")]
    public FinalityMode Finality { get; init; } = FinalityMode.Finalized;

    /// <summary>Older data is stale: not ready, <c>etrid_chain_up</c> 0, consumers refuse it. Default 60 s.</summary>
    [ConfigurationKeyName("staleness_limit")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "{0} must be 1s to 24h")]
    public TimeSpan StalenessLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>"Recent" for waits and durations. Default 600 s (100 blocks).</summary>
    [ConfigurationKeyName("window")]
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "{0} must be 1s to 7d")]
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How often the whole state is re-read to catch drift; 0s disables. Default 10 minutes.</summary>
    [ConfigurationKeyName("verify_interval")]
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "{0} must be 0s (off) to 7d")]
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest gap of skipped blocks filled block by block; more triggers a full sync. Default 100.</summary>
    [ConfigurationKeyName("max_gap_blocks")]
    [Range(1, 100_000, ErrorMessage = "{0} must be 1 to 100000")]
    public int MaxGapBlocks { get; init; } = 100;

    /// <summary>Value requests in flight during a full sync. Default 4.</summary>
    [ConfigurationKeyName("sync_parallelism")]
    [Range(1, 64, ErrorMessage = "{0} must be 1 to 64")]
    public int SyncParallelism { get; init; } = 4;

    /// <summary>Keys per page and per value request during a full sync (the node's limit is 1000). Default 1000.</summary>
    [ConfigurationKeyName("page_size")]
    [Range(1, 1000, ErrorMessage = "{0} must be 1 to 1000")]
    public int PageSize { get; init; } = 1000;

    /// <summary>First wait after the follower fails; doubles per failure, with jitter. Default 1 s.</summary>
    [ConfigurationKeyName("retry_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "{0} must be 1ms to 10m")]
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between the follower's attempts. Default 30 s.</summary>
    [ConfigurationKeyName("max_retry_delay")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds the pallets' clock counts per block (their times are block × this; not the block time). Default 6, as the pallets do.</summary>
    [ConfigurationKeyName("pallet_seconds_per_block")]
    [Range(1, 3600, ErrorMessage = "{0} must be 1 to 3600")]
    public int PalletSecondsPerBlock { get; init; } = 6;

    /// <summary>Most jobs kept; a chain with more is an error, so a node cannot make the exporter grow without bound. Default 5,000,000.</summary>
    [ConfigurationKeyName("max_jobs")]
    [Range(1, 100_000_000, ErrorMessage = "{0} must be 1 to 100000000")]
    public int MaxJobs { get; init; } = 5_000_000;

    /// <summary>Most GPUs kept; a chain with more is an error. Default 1,000,000.</summary>
    [ConfigurationKeyName("max_gpus")]
    [Range(1, 10_000_000, ErrorMessage = "{0} must be 1 to 10000000")]
    public int MaxGpus { get; init; } = 1_000_000;

    /// <summary>Most new job ids one block may bring (from <c>NextJobId</c>); more is not plausible and an error. Default 10,000.</summary>
    [ConfigurationKeyName("max_new_jobs_per_block")]
    [Range(1, 1_000_000, ErrorMessage = "{0} must be 1 to 1000000")]
    public int MaxNewJobsPerBlock { get; init; } = 10_000;

    /// <summary>
    /// The chain's genesis hash (<c>0x</c> + 64 hex digits): an endpoint answering another is refused. Default none:
    /// learned at the first connection and pinned for the life of the process.
    /// </summary>
    [ConfigurationKeyName("genesis_hash")]
    [RegularExpression("^0x[0-9a-fA-F]{64}$", ErrorMessage = "{0} must be 0x followed by 64 hex digits")]
    public string? GenesisHash { get; init; }

    /// <summary>The node's block time (the watchdog's unit, and how fast heads may plausibly advance). Default 6 s.</summary>
    [ConfigurationKeyName("block_time")]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "{0} must be 1ms to 1h")]
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Blocks a head may run ahead of what the elapsed time allows (elapsed / <c>block_time</c> after the kept state's head)
    /// before it is implausible and ignored; covers skipped notifications, clock jitter and a node catching up. Default 100.
    /// </summary>
    [ConfigurationKeyName("head_tolerance_blocks")]
    [Range(1, 1_000_000, ErrorMessage = "{0} must be 1 to 1000000")]
    public int HeadToleranceBlocks { get; init; } = 100;

    /// <summary>
    /// Block times without further nonsense (implausible heads, stray replies, oversized messages) after which an
    /// endpoint is believed again. Default 10.
    /// </summary>
    [ConfigurationKeyName("unhealthy_hold_blocks")]
    [Range(1, 10_000, ErrorMessage = "{0} must be 1 to 10000")]
    public int UnhealthyHoldBlocks { get; init; } = 10;

    /// <summary>The rules that involve more than one key (the generated validator runs them after the attributes).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < RetryDelay)
        {
            yield return new ValidationResult($"{Format(MaxRetryDelay)} must be at least retry_delay ({Format(RetryDelay)})", [nameof(MaxRetryDelay)]);
        }

        // One block of pallet time, whatever the pallets count per block.
        if (Window.TotalSeconds < PalletSecondsPerBlock)
        {
            yield return new ValidationResult($"{Format(Window)} must be at least one block ({PalletSecondsPerBlock}s of pallet time)", [nameof(Window)]);
        }
    }

    /// <summary>Whether <paramref name="value"/> is a block hash: <c>0x</c> and 64 hex digits.</summary>
    public static bool IsHash(string value) =>
        value is { Length: 66 } && value.StartsWith("0x", StringComparison.Ordinal) && value.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;

    private static string Format(TimeSpan value) => value.Ticks % TimeSpan.TicksPerSecond != 0 || value == TimeSpan.Zero
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s");
}
