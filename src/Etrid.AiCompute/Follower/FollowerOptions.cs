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

    /// <summary>Every problem with these settings, each naming its key.</summary>
    public IReadOnlyList<string> Validate(string path = "chain")
    {
        var problems = new List<string>();
        if (Window < TimeSpan.FromSeconds(6))
        {
            problems.Add($"{path}.window: {Window} must be at least one block (6s)");
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

        return problems;
    }
}
