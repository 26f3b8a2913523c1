using Etrid.Burst.Options;
using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Etrid.Mithril.Options;

namespace Etrid.DevTools.Cli;

/// <summary>
/// The demo's cloud: the dev market on fast timings, a burst policy paced for a two-minute story, and the
/// loop closed (an instance that reaches <c>STATUS_RUNNING</c> registers its GPUs on the dev chain as the
/// provider <see cref="Provider"/>; they leave when its bid is paused, cancelled or preempted).
/// </summary>
internal static class DemoBurst
{
    /// <summary>The provider name rented GPUs are registered under on the dev chain.</summary>
    public const string Provider = "mithril-burst";

    /// <summary>The market's timings, minutes turned into seconds so a burst and its drain fit in a few minutes.</summary>
    public static DevMarketOptions MarketOptions(int seed) => new()
    {
        Seed = seed,
        TickInterval = TimeSpan.FromSeconds(1),
        AuctionInterval = TimeSpan.FromSeconds(10),
        ColdBoot = TimeSpan.FromSeconds(12),
        ResumeBoot = TimeSpan.FromSeconds(6),
        PauseStop = TimeSpan.FromSeconds(8),
        PreemptionWindow = TimeSpan.FromSeconds(30),
    };

    /// <summary>The burst policy against the market at <paramref name="market"/>, for a chain with <paramref name="localGpus"/> GPUs of its own; workers would dial <paramref name="controllerAddress"/>.</summary>
    public static MithrilAutoOptions Policy(Uri market, DevMarketOptions options, int localGpus, string controllerAddress) => new()
    {
        Enabled = true,
        ProjectId = options.ProjectId,
        Region = options.Region,
        // The simulator's own made-up key (it prints it too): not a secret.
        ApiToken = options.ApiToken,
        ApiEndpoint = market,
        SshKeyIds = [options.SshKeyId],

        // The dev market never boots the script, but the controller requires what a real node's would need: the
        // download is a reserved host (.invalid never resolves), the address the demo's own exporter.
        AgentDownloadUrl = "https://downloads.invalid/etrid-gpu-worker/{version}",
        ControllerAddress = controllerAddress,
        LocalGpus = localGpus,
        TargetJobsPerGpu = 1,
        ScaleUpAfter = TimeSpan.FromSeconds(10),
        ScaleDownAfter = TimeSpan.FromSeconds(20),
        WaitThreshold = TimeSpan.Zero,
        AllocationTimeout = TimeSpan.FromSeconds(40),
        MaxSuspendedBids = 1,
        MaxHourlySpendUsd = 60,
        AutoscalerConfig = new AutoscalerOptions
        {
            MaxAgents = 3,
            SyncLoopInterval = TimeSpan.FromSeconds(2),
            IdleDecay = TimeSpan.FromSeconds(5),
            ScaleUpErrorRetryDelay = TimeSpan.FromSeconds(10),
            KillUnknownAfter = TimeSpan.FromMinutes(2),
        },
        PoolDetails =
        [
            new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 2.0m, Description = "4× A100, the cheaper GPU-hour" },
            new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 2.6m, Description = "8× H100, when A100s are priced out" },
        ],
    };

    /// <summary>Closes the loop: running instances become dev chain GPUs, and stop being when they stop.</summary>
    public static void Connect(DevMarketServer market, DevChain.Chain.DevChain chain) =>
        market.InstanceRunningChanged += change =>
        {
            if (change.Running)
            {
                chain.AddProviderGpus(Provider, change.InstanceFid, change.NumGpus);
            }
            else
            {
                chain.RemoveProviderGpus(change.InstanceFid);
            }
        };
}
