using Etrid.Scaling.Telemetry;

namespace Etrid.Exporter.Status;

/// <summary>
/// The built-in members of <c>/status</c> (snake_case in JSON); the sections registered as
/// <see cref="IStatusSection"/> are added beside them under their own names.
/// </summary>
/// <param name="GeneratedAt">When the document was made.</param>
/// <param name="Pbc">The <c>pbc</c> label of this exporter.</param>
/// <param name="Ready">The snapshot seam's verdict: true when the figures may be acted upon.</param>
/// <param name="Reason"><c>ok</c>, or why not, in words for an operator.</param>
/// <param name="Chain">The connection and the snapshot the figures come from.</param>
/// <param name="Figures">The figures of the latest snapshot, or null before the first sync.</param>
/// <param name="Providers">The largest providers and how many there are.</param>
/// <param name="Scaling">The external metrics API's and the KEDA scaler's last requests (null for a part that is off).</param>
public sealed record StatusDocument(
    DateTimeOffset GeneratedAt,
    string Pbc,
    bool Ready,
    string Reason,
    StatusDocument.ChainPart Chain,
    StatusDocument.FiguresPart? Figures,
    StatusDocument.ProvidersPart Providers,
    StatusDocument.ScalingPart Scaling)
{
    /// <summary>Member names taken by the document itself (sections may not use them).</summary>
    public static IReadOnlySet<string> BuiltInNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "generated_at", "pbc", "ready", "reason", "chain", "figures", "providers", "scaling",
    };

    /// <summary>Connection and freshness.</summary>
    public sealed record ChainPart(
        string? Name,
        bool Connected,
        string? Endpoint,
        uint? BestBlock,
        uint? FinalizedBlock,
        double? FinalizedAgeSeconds,
        uint? SpecVersion,
        string? LastError,
        long Reconnects,
        double StalenessLimitSeconds,
        SnapshotPart? Snapshot)
    {
        /// <summary>The pinned genesis hash, or null before the first connection.</summary>
        public string? GenesisHash { get; init; }

        /// <summary>Blocks the connected endpoint's finalized head is behind the kept state; 0 when current.</summary>
        public long EndpointLagBlocks { get; init; }

        /// <summary>Why the connected endpoint is not believed (another chain, nonsense), or null.</summary>
        public string? EndpointProblem { get; init; }
    }

    /// <summary>The snapshot the figures were taken at.</summary>
    public sealed record SnapshotPart(uint Block, string Hash, DateTimeOffset ObservedAt, double AgeSeconds);

    /// <summary>The chain's figures (non-finite values are null).</summary>
    public sealed record FiguresPart(
        IReadOnlyDictionary<string, long> JobsByStatus,
        IReadOnlyDictionary<string, long> GpusByStatus,
        double? AverageWaitSeconds,
        double? AverageDurationSeconds,
        double? JobsPerActiveGpu,
        int PendingListLength,
        long UnattributedJobs,
        IReadOnlyDictionary<string, long> PendingByPriority,
        IReadOnlyDictionary<string, long> PendingByModelType,
        double? OldestPendingWaitSeconds);

    /// <summary>The top providers by registered GPUs, and the count of all.</summary>
    public sealed record ProvidersPart(int Count, IReadOnlyList<ProviderRow> Top);

    /// <summary>One provider.</summary>
    public sealed record ProviderRow(string Address, int RegisteredGpus, int ActiveGpus, int BusyGpus, double? UtilizationPercent, long JobsCompleted, double? EarningsEdsc);

    /// <summary>The scaling interfaces' recent requests.</summary>
    public sealed record ScalingPart(RequestsPart? ExternalMetrics, RequestsPart? KedaScaler);

    /// <summary>One interface's requests: the total since start and the last few, newest first.</summary>
    public sealed record RequestsPart(long Total, IReadOnlyList<ScalingRequest> Recent);
}
