namespace Etrid.AiCompute.Follower;

/// <summary>Which head the figures follow.</summary>
public enum FinalityMode
{
    /// <summary>The finalized head: never rolls back (default).</summary>
    Finalized,

    /// <summary>The best head: fresher, but a re-org can change what was shown.</summary>
    Best,
}

/// <summary>Settings of <see cref="ChainFollower"/>.</summary>
public sealed class FollowerOptions
{
    /// <summary>Which head to follow. Default finalized.</summary>
    public FinalityMode Finality { get; init; } = FinalityMode.Finalized;

    /// <summary>Window of the "recent" figures (assignment waits, durations). Default 600 s (100 blocks).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How often the whole state is re-read to catch drift. Default 10 minutes; zero disables.</summary>
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest gap of skipped blocks filled block by block; a larger one triggers a full sync. Default 100.</summary>
    public int MaxGapBlocks { get; init; } = 100;

    /// <summary>Value requests in flight during a full sync. Default 4.</summary>
    public int SyncParallelism { get; init; } = 4;

    /// <summary>Keys per page and per value request (the node's limit is 1000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>First wait after a failure; doubles up to <see cref="MaxRetryDelay"/>. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts after failures. Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds the pallets count per block (their clock is block × this). Default 6, as the pallets do; not the block time.</summary>
    public int PalletSecondsPerBlock { get; init; } = 6;

    /// <summary>Most jobs kept; a chain with more is an error, so a node cannot make the exporter grow without bound. Default 5,000,000.</summary>
    public int MaxJobs { get; init; } = 5_000_000;

    /// <summary>Most GPUs kept. Default 1,000,000.</summary>
    public int MaxGpus { get; init; } = 1_000_000;

    /// <summary>Most new job ids one block may bring (from <c>NextJobId</c>); more is not plausible and an error. Default 10,000.</summary>
    public int MaxNewJobsPerBlock { get; init; } = 10_000;

    /// <summary>
    /// The chain's genesis hash (<c>0x</c> + 64 hex digits); an endpoint answering another is refused. Null, the
    /// default: learned at the first connection and pinned for the life of the process.
    /// </summary>
    public string? GenesisHash { get; init; }

    /// <summary>Wall-clock time between blocks, the unit of the head plausibility bound. Default 6 s.</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Blocks a head may run ahead of what the elapsed time allows (elapsed / <see cref="BlockTime"/>) before it
    /// is implausible; covers skipped notifications, clock jitter and a node catching up. Default 100.
    /// </summary>
    public int HeadToleranceBlocks { get; init; } = 100;

    /// <summary>
    /// Block times without further nonsense (implausible heads, stray replies, oversized messages) after which
    /// an endpoint is believed again. Default 10.
    /// </summary>
    public int UnhealthyHoldBlocks { get; init; } = 10;

    /// <summary>Every problem with these settings, each naming its key.</summary>
    public IReadOnlyList<string> Validate(string path = "chain")
    {
        var problems = new List<string>();
        // One block of pallet time, whatever the pallets count per block (not a fixed 6 s: the exporter's configuration
        // allows pallet_seconds_per_block down to 1, and both must give the same verdict).
        if (Window < TimeSpan.FromSeconds(PalletSecondsPerBlock))
        {
            problems.Add($"{path}.window: {Window} must be at least one block ({PalletSecondsPerBlock}s of pallet time)");
        }

        if (VerifyInterval < TimeSpan.Zero)
        {
            problems.Add($"{path}.verify_interval: {VerifyInterval} must not be negative");
        }

        if (MaxGapBlocks < 1)
        {
            problems.Add($"{path}.max_gap_blocks: {MaxGapBlocks} must be 1 or more");
        }

        if (SyncParallelism is < 1 or > 64)
        {
            problems.Add($"{path}.sync_parallelism: {SyncParallelism} must be 1 to 64");
        }

        if (PageSize is < 1 or > 1000)
        {
            problems.Add($"{path}.page_size: {PageSize} must be 1 to 1000");
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            problems.Add($"{path}.retry_delay: {RetryDelay} must be positive and at most max_retry_delay ({MaxRetryDelay})");
        }

        if (PalletSecondsPerBlock is < 1 or > 3600)
        {
            problems.Add($"{path}.pallet_seconds_per_block: {PalletSecondsPerBlock} must be 1 to 3600");
        }

        if (MaxJobs < 1)
        {
            problems.Add($"{path}.max_jobs: {MaxJobs} must be 1 or more");
        }

        if (MaxGpus < 1)
        {
            problems.Add($"{path}.max_gpus: {MaxGpus} must be 1 or more");
        }

        if (GenesisHash is { } genesis && !IsHash(genesis))
        {
            problems.Add($"{path}.genesis_hash: '{genesis}' must be 0x followed by 64 hex digits");
        }

        if (BlockTime <= TimeSpan.Zero)
        {
            problems.Add($"{path}.block_time: {BlockTime} must be positive");
        }

        if (HeadToleranceBlocks < 1)
        {
            problems.Add($"{path}.head_tolerance_blocks: {HeadToleranceBlocks} must be 1 or more");
        }

        if (UnhealthyHoldBlocks < 1)
        {
            problems.Add($"{path}.unhealthy_hold_blocks: {UnhealthyHoldBlocks} must be 1 or more");
        }

        if (MaxNewJobsPerBlock < 1)
        {
            problems.Add($"{path}.max_new_jobs_per_block: {MaxNewJobsPerBlock} must be 1 or more");
        }

        return problems;
    }

    /// <summary>Whether <paramref name="value"/> is a block hash: <c>0x</c> and 64 hex digits.</summary>
    public static bool IsHash(string value) =>
        value is { Length: 66 } && value.StartsWith("0x", StringComparison.Ordinal) && value.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
}
