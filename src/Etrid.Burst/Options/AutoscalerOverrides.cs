using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>
/// A pool's own <c>autoscaler_config</c>: only the keys it sets replace the provider-level block's, the rest
/// are inherited (a pool that sets <c>max_agents</c> alone keeps the shared <c>idle_decay</c>). Null = unset.
/// </summary>
public sealed class AutoscalerOverrides
{
    /// <summary>This pool's <c>max_agents</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("max_agents")]
    public int? MaxAgents { get; init; }

    /// <summary>This pool's <c>min_agents</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("min_agents")]
    public int? MinAgents { get; init; }

    /// <summary>This pool's <c>max_idle_agents</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("max_idle_agents")]
    public int? MaxIdleAgents { get; init; }

    /// <summary>This pool's <c>min_idle_agents</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("min_idle_agents")]
    public int? MinIdleAgents { get; init; }

    /// <summary>This pool's <c>idle_decay</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("idle_decay")]
    public TimeSpan? IdleDecay { get; init; }

    /// <summary>This pool's <c>initial_delay</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("initial_delay")]
    public TimeSpan? InitialDelay { get; init; }

    /// <summary>This pool's <c>sync_loop_interval</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("sync_loop_interval")]
    public TimeSpan? SyncLoopInterval { get; init; }

    /// <summary>This pool's <c>scale_up_error_retry_delay</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("scale_up_error_retry_delay")]
    public TimeSpan? ScaleUpErrorRetryDelay { get; init; }

    /// <summary>This pool's <c>kill_unknown_after</c>; unset inherits <c>mithril_auto.autoscaler_config</c>.</summary>
    [ConfigurationKeyName("kill_unknown_after")]
    public TimeSpan? KillUnknownAfter { get; init; }

    /// <summary><paramref name="shared"/> with the keys this block sets replaced.</summary>
    public AutoscalerOptions Over(AutoscalerOptions shared) => new()
    {
        MaxAgents = MaxAgents ?? shared.MaxAgents,
        MinAgents = MinAgents ?? shared.MinAgents,
        MaxIdleAgents = MaxIdleAgents ?? shared.MaxIdleAgents,
        MinIdleAgents = MinIdleAgents ?? shared.MinIdleAgents,
        IdleDecay = IdleDecay ?? shared.IdleDecay,
        InitialDelay = InitialDelay ?? shared.InitialDelay,
        SyncLoopInterval = SyncLoopInterval ?? shared.SyncLoopInterval,
        ScaleUpErrorRetryDelay = ScaleUpErrorRetryDelay ?? shared.ScaleUpErrorRetryDelay,
        KillUnknownAfter = KillUnknownAfter ?? shared.KillUnknownAfter,
    };
}
