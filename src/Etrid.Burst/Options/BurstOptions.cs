using System.ComponentModel.DataAnnotations;
using Etrid.Burst.Boot;
using Etrid.Burst.Naming;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>
/// The burst controller's provider-neutral keys: the seed's (<c>labels</c>, <c>autoscaler_config</c>,
/// <c>pool_details</c>, <c>max_suspended_bids</c>, <c>tailscale_config</c>, …) plus the burst policy's own
/// (<c>scale_up_after</c>, <c>scale_down_after</c>, <c>allocation_timeout</c>, <c>max_hourly_spend_usd</c>, …).
/// A capacity provider's section derives from it and adds where and how to reach its market (Mithril's
/// <c>mithril_auto</c>: <c>project_id</c>, <c>region</c>, <c>api_token</c>, …), so one section holds both and the
/// provider's checks join the controller's through <see cref="ValidateMarket"/> and <see cref="ValidatePool"/>.
/// </summary>
/// <remarks>A record so that a variant is <c>options with { … }</c>: a copy made key by key misses the next key added.</remarks>
public record BurstOptions
{

    /// <summary>Whether the burst controller runs at all. Default false.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>Decide, log and report, but change nothing. Default false.</summary>
    [ConfigurationKeyName("dry_run")]
    public bool DryRun { get; init; }

    /// <summary>Local labels for metrics and logs; bids have no label field, so they are neither sent nor hashed.</summary>
    [ConfigurationKeyName("labels")]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Appended to the generated boot script; at most 10,000 characters, and the whole boot script must fit the API's 10,000.</summary>
    [ConfigurationKeyName("startup_script")]
    public string? StartupScript { get; init; }

    /// <summary>Worker version to install; null = the controller's version.</summary>
    [ConfigurationKeyName("agent_version_override")]
    public string? AgentVersionOverride { get; init; }

    /// <summary>Download URL of the worker binary for the boot script; <c>{version}</c> is replaced by the worker version. Required when enabled and not <c>dry_run</c>.</summary>
    [ConfigurationKeyName("agent_download_url")]
    public string AgentDownloadUrl { get; init; } = "";

    /// <summary>The controller's address as workers on rented nodes dial it (written into their configuration). Required when enabled and not <c>dry_run</c>.</summary>
    [ConfigurationKeyName("controller_address")]
    public string ControllerAddress { get; init; } = "";

    /// <summary>Paused bids kept per pool for fast restarts; 0 always cancels. Default 0.</summary>
    [ConfigurationKeyName("max_suspended_bids")]
    [Range(0, 1000, ErrorMessage = "max_suspended_bids: must be between 0 and 1000")]
    public int MaxSuspendedBids { get; init; }

    /// <summary>Optional Tailscale join for the nodes.</summary>
    [ConfigurationKeyName("tailscale_config")]
    public TailscaleOptions? TailscaleConfig { get; init; }

    /// <summary>Bounds for pools without their own block.</summary>
    [ConfigurationKeyName("autoscaler_config")]
    public AutoscalerOptions AutoscalerConfig { get; init; } = new();

    /// <summary>The pools, in order of preference.</summary>
    [ConfigurationKeyName("pool_details")]
    public IReadOnlyList<PoolOptions> PoolDetails { get; init; } = [];

    /// <summary>Pending jobs one GPU is meant to absorb: GPUs needed = ceil(pending / this). Default 1.</summary>
    [ConfigurationKeyName("target_jobs_per_gpu")]
    [Range(0.01, 1_000_000, ErrorMessage = "target_jobs_per_gpu: must be between 0.01 and 1000000")]
    public double TargetJobsPerGpu { get; init; } = 1;

    /// <summary>
    /// Count jobs already running (Processing) as demand besides pending ones: GPUs needed = ceil((pending +
    /// processing) / target_jobs_per_gpu), so burst capacity that is clearing the queue is not handed back while
    /// it works. Default false: pending only, as the HPA's rule and the seed count it.
    /// </summary>
    [ConfigurationKeyName("demand_includes_running")]
    public bool DemandIncludesRunning { get; init; }

    /// <summary>Local GPU capacity when there is no cluster to read the HPA from. Default 0.</summary>
    [ConfigurationKeyName("local_gpus")]
    [Range(0, 1_000_000, ErrorMessage = "local_gpus: must be between 0 and 1000000")]
    public int LocalGpus { get; init; }

    /// <summary>How long a capacity breach must last before bidding (the seed's rule). Default 60 s.</summary>
    [ConfigurationKeyName("scale_up_after")]
    public TimeSpan ScaleUpAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a surplus must last before giving nodes back (the seed's rule). Default 5 min.</summary>
    [ConfigurationKeyName("scale_down_after")]
    public TimeSpan ScaleDownAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Average wait that triggers bidding at once while local capacity is exhausted; 0 = off. Default 5 min.</summary>
    [ConfigurationKeyName("wait_threshold")]
    public TimeSpan WaitThreshold { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Jobs per GPU once the oldest pending job is due, i.e. has waited <c>wait_threshold − wait_lead</c> (the
    /// wait-aware demand rule): lower than <c>target_jobs_per_gpu</c>, so that capacity asked for then arrives before
    /// the job passes the threshold, and that growth need not last <c>scale_up_after</c>. Null (the default): off.
    /// </summary>
    [ConfigurationKeyName("urgent_jobs_per_gpu")]
    [Range(0.01, 1_000_000, ErrorMessage = "urgent_jobs_per_gpu: must be between 0.01 and 1000000")]
    public double? UrgentJobsPerGpu { get; init; }

    /// <summary>How long new capacity takes to serve a job (a boot, and a tick or two): a pending job is due at <c>wait_threshold − wait_lead</c>. Default 0.</summary>
    [ConfigurationKeyName("wait_lead")]
    public TimeSpan WaitLead { get; init; }

    /// <summary>
    /// No capacity is released while the oldest pending job has waited this long or longer: a job that old means
    /// every GPU is busy, so a node given back would be a busy one. Null (the default): off.
    /// </summary>
    [ConfigurationKeyName("release_below_wait")]
    public TimeSpan? ReleaseBelowWait { get; init; }

    /// <summary>
    /// Jobs per GPU a scale-down is sized at (the release band): capacity that the demand at this rate still needs
    /// is kept, so a queue that dips a little below <c>target_jobs_per_gpu</c> does not hand back a node it asks for
    /// again minutes later. At or below <c>target_jobs_per_gpu</c>; null (the default): the target, no band.
    /// </summary>
    [ConfigurationKeyName("release_jobs_per_gpu")]
    [Range(0.01, 1_000_000, ErrorMessage = "release_jobs_per_gpu: must be between 0.01 and 1000000")]
    public double? ReleaseJobsPerGpu { get; init; }

    /// <summary>An Open bid older than this is "not winning at this price": demand falls to the next pool. Default 10 min.</summary>
    [ConfigurationKeyName("allocation_timeout")]
    public TimeSpan AllocationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Ceiling on the sum of live bids' limit prices, USD per hour; null = no ceiling.</summary>
    [ConfigurationKeyName("max_hourly_spend_usd")]
    public decimal? MaxHourlySpendUsd { get; init; }

    /// <summary>
    /// Move a running node to a cheaper pool only when the spot saving over <c>scale_down_after</c> exceeds this many
    /// USD; null (the default) never moves capacity between pools. A move is make-before-break: the replacement is
    /// placed within the budget with both alive, and the old node is released only once the new one runs.
    /// </summary>
    [ConfigurationKeyName("rebalance_min_saving_usd")]
    [Range(0, 1_000_000, ErrorMessage = "rebalance_min_saving_usd: must be between 0 and 1000000")]
    public decimal? RebalanceMinSavingUsd { get; init; }

    /// <summary>Optional revenue check before bursting.</summary>
    [ConfigurationKeyName("economic_guard")]
    public EconomicGuardOptions EconomicGuard { get; init; } = new();

    /// <summary>Leader election through a Lease when a cluster is reachable.</summary>
    [ConfigurationKeyName("leader_election")]
    public BurstLeaderElectionOptions LeaderElection { get; init; } = new();

    /// <summary>Local capacity from the GPU workers' HPA when a cluster is reachable.</summary>
    [ConfigurationKeyName("hpa")]
    public BurstHpaOptions Hpa { get; init; } = new();

    /// <summary>Names the options without their values: a provider's section adds secrets the record's own text would print.</summary>
    public override string ToString() => $"burst controller (enabled {Enabled}, {PoolDetails.Count} pool(s))";

    /// <summary>The bounds of a pool: the provider's block with the keys the pool's own block sets replaced.</summary>
    public AutoscalerOptions AutoscalerFor(PoolOptions pool) => pool.AutoscalerConfig?.Over(AutoscalerConfig) ?? AutoscalerConfig;

    /// <summary>Every problem at once, as <c>path.key: what is wrong (value)</c>; secrets are never quoted.</summary>
    public IEnumerable<string> Validate(string path, Func<string, string?> environment)
    {
        var problems = new List<string>();

        // Checked even while disabled: a value that can never be sent is wrong whatever else is set. The whole
        // rendered script must fit too, which the controller checks at start with the worker version it installs.
        if (StartupScript is { Length: > BootScript.MaxLength })
        {
            problems.Add($"{path}.startup_script: {StartupScript.Length} characters, over the boot script's limit of {BootScript.MaxLength} (the API's limit on startup_script)");
        }

        if (!Enabled)
        {
            return problems;
        }

        problems.AddRange(ValidateMarket(path, environment));
        if (AgentDownloadUrl.Length > 0 && !(Uri.TryCreate(AgentDownloadUrl.Replace("{version}", "0", StringComparison.Ordinal), UriKind.Absolute, out var download) && download.Scheme is "https" or "http"))
        {
            problems.Add($"{path}.agent_download_url: must be an http:// or https:// URL ({AgentDownloadUrl})");
        }

        if (!DryRun)
        {
            // What the boot script needs: left empty it would run curl -o … '' and abort under set -euo pipefail, so
            // every rented node would be billed without a worker. A dry run sends no script and needs none of it yet.
            if (string.IsNullOrWhiteSpace(AgentDownloadUrl))
            {
                problems.Add($"{path}.agent_download_url: required when enabled and not dry_run (the boot script downloads the worker from it)");
            }

            if (string.IsNullOrWhiteSpace(ControllerAddress))
            {
                problems.Add($"{path}.controller_address: required when enabled and not dry_run (the worker on a rented node dials it)");
            }

            if (AgentVersionOverride is not null && string.IsNullOrWhiteSpace(AgentVersionOverride))
            {
                problems.Add($"{path}.agent_version_override: must not be empty when set (leave it out to install the controller's version)");
            }
        }

        foreach (var (key, value) in new[] { ("scale_up_after", ScaleUpAfter), ("scale_down_after", ScaleDownAfter), ("wait_threshold", WaitThreshold), ("allocation_timeout", AllocationTimeout), ("wait_lead", WaitLead), ("release_below_wait", ReleaseBelowWait ?? TimeSpan.Zero) })
        {
            if (value < TimeSpan.Zero)
            {
                problems.Add($"{path}.{key}: must not be negative ({value})");
            }
        }

        if (ReleaseJobsPerGpu > TargetJobsPerGpu)
        {
            problems.Add($"{path}.release_jobs_per_gpu: must not exceed target_jobs_per_gpu ({TargetJobsPerGpu}), or capacity would leave before the queue rule lets it ({ReleaseJobsPerGpu})");
        }

        if (MaxHourlySpendUsd is <= 0)
        {
            problems.Add($"{path}.max_hourly_spend_usd: must be positive when set ({MaxHourlySpendUsd})");
        }

        if (PoolDetails.Count == 0)
        {
            problems.Add($"{path}.pool_details: at least one pool is required");
        }

        problems.AddRange(AutoscalerConfig.Validate($"{path}.autoscaler_config"));
        if (TailscaleConfig is not null)
        {
            problems.AddRange(TailscaleConfig.Validate($"{path}.tailscale_config"));
        }

        problems.AddRange(EconomicGuard.Validate($"{path}.economic_guard"));
        problems.AddRange(LeaderElection.Validate($"{path}.leader_election"));
        problems.AddRange(Hpa.Validate($"{path}.hpa"));
        // A pool owns exactly the bids named {its base}-{hash8}-{rand5}: two pools with one base (gpu_a and GPU-A
        // both sanitise to etrid-gpu-a) would each cancel the other's bids as an older configuration.
        var bases = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < PoolDetails.Count; i++)
        {
            var pool = PoolDetails[i];
            problems.AddRange(pool.Validate($"{path}.pool_details[{i}]"));
            problems.AddRange(ValidatePool(pool, $"{path}.pool_details[{i}]"));
            if (pool.AutoscalerConfig is not null)
            {
                // The merged bounds are what the pool runs with, so they are what is checked.
                problems.AddRange(AutoscalerFor(pool).Validate($"{path}.pool_details[{i}].autoscaler_config"));
            }

            var baseName = BidNaming.BaseFor(pool.PoolName);
            if (!bases.TryAdd(baseName, i))
            {
                var first = bases[baseName];
                problems.Add($"{path}.pool_details[{i}].pool_name: '{pool.PoolName}' and pool_details[{first}] '{PoolDetails[first].PoolName}' both name their bids {baseName}-…; pool names must differ after lowercasing, '_' → '-' and shortening to {BidNaming.MaxNameLength - 15} characters");
            }
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        return problems;
    }

    /// <summary>The provider's own keys, checked only when enabled (where they sit among the controller's: after <c>enabled</c>).</summary>
    /// <param name="path">The section's path.</param>
    /// <param name="environment">Reads environment variables (a key left empty may come from one).</param>
    protected virtual IEnumerable<string> ValidateMarket(string path, Func<string, string?> environment) => [];

    /// <summary>The provider's checks of one pool (the shape of its <c>instance_type</c>), after the controller's.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="path">The pool's path (<c>section.pool_details[i]</c>).</param>
    protected virtual IEnumerable<string> ValidatePool(PoolOptions pool, string path) => [];
}
