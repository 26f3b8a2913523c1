using Etrid.DevChain.Workloads;

namespace Etrid.DevChain.Chain;

/// <summary>Settings of the dev chain; each maps to a <c>devchain</c> flag.</summary>
public sealed class DevChainOptions
{
    /// <summary>Seed of the workload, so two runs with the same seed produce the same chain.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Jobs in the genesis state.</summary>
    public int Jobs { get; init; } = 1000;

    /// <summary>GPUs in the genesis state.</summary>
    public int Gpus { get; init; } = 32;

    /// <summary>GPU providers in the genesis state; 0 means one per four GPUs (at most 100 GPUs each).</summary>
    public int Providers { get; init; }

    /// <summary>Time between blocks; zero means blocks are produced only on request (tests).</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How many blocks the finalized head trails the best head.</summary>
    public int FinalityLag { get; init; } = 2;

    /// <summary>Send a finalized-head notification only every N blocks (newest only), as real nodes skip; 1 sends every block.</summary>
    public int FinalityNotifyEvery { get; init; } = 1;

    /// <summary>Mean job submissions per block.</summary>
    public double ArrivalRate { get; init; } = 2;

    /// <summary>Blocks of state history kept; reads at older blocks fail with error 4003.</summary>
    public int HistoryDepth { get; init; } = 256;

    /// <summary>Seconds the pallets' clock counts per block (times are block × this). Default 6, as the pallets do.</summary>
    public int PalletSecondsPerBlock { get; init; } = 6;

    /// <summary>A <c>JobMarketplace.NextJobId</c> to announce instead of the true one, from genesis on (a hostile node, for robustness tests); null: the true one.</summary>
    public ulong? AnnouncedNextJobId { get; init; }

    /// <summary>
    /// Blocks of plausible past produced before the chain is handed out (0: none, the classic genesis at
    /// time 0). Genesis jobs that are finished then carry submit and complete times spread over that past
    /// (seeded waits and durations), and the first figures a follower sees are those of a running market.
    /// Blocks older than <see cref="HistoryDepth"/> are not readable, as on any pruned node.
    /// </summary>
    public int HistoryBlocks { get; init; }

    /// <summary>
    /// Assign jobs to providers by a seeded popularity instead of GPU order, so utilisation differs between
    /// providers and some GPUs stay idle while others are busy. Default false (GPU order).
    /// </summary>
    public bool ProviderPopularity { get; init; }

    /// <summary>
    /// The arrival-rate profile counted from the first live block (after <see cref="HistoryBlocks"/>); null:
    /// <see cref="ArrivalRate"/> for ever. The history blocks use <see cref="ArrivalRate"/>.
    /// </summary>
    public WorkloadProfile? Workload { get; init; }

    /// <summary>Every problem with these settings, each naming its flag.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Jobs < 0)
        {
            problems.Add($"--jobs: {Jobs} must be 0 or more");
        }

        if (Gpus < 0)
        {
            problems.Add($"--gpus: {Gpus} must be 0 or more");
        }

        if (Providers < 0 || (Providers > 0 && (long)Providers * 100 < Gpus))
        {
            problems.Add($"--providers: {Providers} providers cannot hold {Gpus} GPUs (at most 100 each)");
        }

        if (BlockTime < TimeSpan.Zero)
        {
            problems.Add($"--block-time: {BlockTime} must not be negative");
        }

        if (FinalityLag < 0)
        {
            problems.Add($"--finality-lag: {FinalityLag} must be 0 or more");
        }

        if (FinalityNotifyEvery < 1)
        {
            problems.Add($"--finality-notify-every: {FinalityNotifyEvery} must be 1 or more");
        }

        if (ArrivalRate < 0 || double.IsNaN(ArrivalRate) || ArrivalRate > 10000)
        {
            problems.Add($"--arrival-rate: {ArrivalRate} must be between 0 and 10000 jobs per block");
        }

        if (HistoryBlocks is < 0 or > 100_000)
        {
            problems.Add($"--history-blocks: {HistoryBlocks} must be between 0 and 100000");
        }

        if (Workload is not null)
        {
            problems.AddRange(Workload.Validate());
        }

        if (HistoryDepth < 1)
        {
            problems.Add($"--history-depth: {HistoryDepth} must be 1 or more");
        }

        return problems;
    }
}
