namespace Etrid.AiCompute.Snapshots;

/// <summary>Connection and chain health, immutable; the follower replaces it as a whole.</summary>
public sealed record ChainHealth
{
    /// <summary>Before anything is known.</summary>
    public static ChainHealth Initial { get; } = new();

    /// <summary>True while connected to a node.</summary>
    public bool Connected { get; init; }

    /// <summary>The node in use, credentials removed.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Chain name from <c>system_chain</c>.</summary>
    public string? ChainName { get; init; }

    /// <summary>Best head number seen, or null.</summary>
    public uint? BestBlock { get; init; }

    /// <summary>Newest finalized head announced by the node, or null.</summary>
    public uint? FinalizedBlock { get; init; }

    /// <summary>When the newest finalized head arrived, or null.</summary>
    public DateTimeOffset? LastFinalizedAt { get; init; }

    /// <summary>The last problem that stopped the follower, or null while all is well.</summary>
    public string? LastError { get; init; }

    /// <summary>True when the runtime lacks what the exporter needs (the reason is <see cref="LastError"/>).</summary>
    public bool SchemaMismatch { get; init; }

    /// <summary>Reconnections after the first connection.</summary>
    public long Reconnects { get; init; }

    /// <summary>Full syncs done (start-up, reconnects, upgrades, verification passes).</summary>
    public long FullSyncs { get; init; }

    /// <summary>Values the periodic verification found different from the incrementally kept state.</summary>
    public long VerificationDrift { get; init; }

    /// <summary>Unexpected failures of the follower's loop (each logged and retried).</summary>
    public long LoopFailures { get; init; }

    /// <summary>The runtime's spec version, or null before the schema is resolved.</summary>
    public uint? SpecVersion { get; init; }

    /// <summary>The chain's genesis hash as pinned (configured, or learned at the first connection), or null before.</summary>
    public string? GenesisHash { get; init; }

    /// <summary>Blocks the connected endpoint's finalized head is behind the kept state (a lagging or restarted node); 0 when current.</summary>
    public long EndpointLagBlocks { get; init; }

    /// <summary>
    /// Why the connected endpoint is not believed, naming the cause (another genesis, implausible heads,
    /// replies to ids never sent, an oversized message), or null while it behaves.
    /// </summary>
    public string? EndpointProblem { get; init; }

    /// <summary>Pieces of nonsense received from endpoints since start (each ignored; logged at a bounded rate).</summary>
    public long EndpointProblems { get; init; }
}
