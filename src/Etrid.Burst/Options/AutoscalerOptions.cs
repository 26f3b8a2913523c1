using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>
/// <c>autoscaler_config</c>: a pool's node bounds and pacing, with the reference's defaults
/// (max 10, min 0, max idle 1, idle decay 1 min) where no block is given.
/// </summary>
public sealed class AutoscalerOptions
{
    /// <summary>Hard cap of live (not paused) bids in the pool, preempting ones included. Default 10.</summary>
    [ConfigurationKeyName("max_agents")]
    [Range(0, 1000, ErrorMessage = "max_agents: must be between 0 and 1000")]
    public int MaxAgents { get; init; } = 10;

    /// <summary>Floor of live bids. Default 0.</summary>
    [ConfigurationKeyName("min_agents")]
    [Range(0, 1000, ErrorMessage = "min_agents: must be between 0 and 1000")]
    public int MinAgents { get; init; }

    /// <summary>Surplus nodes tolerated beyond demand; more are removed as soon as scale-down is due. Default 1.</summary>
    [ConfigurationKeyName("max_idle_agents")]
    [Range(0, 1000, ErrorMessage = "max_idle_agents: must be between 0 and 1000")]
    public int MaxIdleAgents { get; init; } = 1;

    /// <summary>Idle nodes kept ready even without demand. Default 0.</summary>
    [ConfigurationKeyName("min_idle_agents")]
    [Range(0, 1000, ErrorMessage = "min_idle_agents: must be between 0 and 1000")]
    public int MinIdleAgents { get; init; }

    /// <summary>Wait between removals of surplus idle nodes; 0 removes at once. Default 1 min.</summary>
    [ConfigurationKeyName("idle_decay")]
    public TimeSpan IdleDecay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait after start before acting while bids are unknown. Default 0.</summary>
    [ConfigurationKeyName("initial_delay")]
    public TimeSpan InitialDelay { get; init; }

    /// <summary>Reconcile period. Default 60 s.</summary>
    [ConfigurationKeyName("sync_loop_interval")]
    public TimeSpan SyncLoopInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Back-off after a failed create or resume, or a bid not winning. Default 60 s.</summary>
    [ConfigurationKeyName("scale_up_error_retry_delay")]
    public TimeSpan ScaleUpErrorRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An allocated bid whose instance never reaches <c>STATUS_RUNNING</c> within this is cancelled; 0 = off. Default 15 min.</summary>
    [ConfigurationKeyName("kill_unknown_after")]
    public TimeSpan KillUnknownAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        var problems = new List<string>();
        if (MinAgents > MaxAgents)
        {
            problems.Add($"{path}.min_agents: must not exceed max_agents ({MinAgents} > {MaxAgents})");
        }

        if (MaxIdleAgents < MinIdleAgents)
        {
            problems.Add($"{path}.max_idle_agents: must be at least min_idle_agents ({MaxIdleAgents} < {MinIdleAgents})");
        }

        foreach (var (key, value) in new[] { ("idle_decay", IdleDecay), ("initial_delay", InitialDelay), ("kill_unknown_after", KillUnknownAfter) })
        {
            if (value < TimeSpan.Zero)
            {
                problems.Add($"{path}.{key}: must not be negative ({value})");
            }
        }

        foreach (var (key, value) in new[] { ("sync_loop_interval", SyncLoopInterval), ("scale_up_error_retry_delay", ScaleUpErrorRetryDelay) })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{path}.{key}: must be positive ({value})");
            }
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        return problems;
    }
}
