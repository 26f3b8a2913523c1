namespace Etrid.Burst.Policy;

/// <summary>The pacing of the scale gate (from <c>mithril_auto</c> and <c>autoscaler_config</c>).</summary>
public sealed record GateSettings
{
    /// <summary>How long a breach must last before scaling up. Default 60 s.</summary>
    public TimeSpan ScaleUpAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a surplus must last before scaling down. Default 5 min.</summary>
    public TimeSpan ScaleDownAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait between removals of surplus nodes. Default 1 min.</summary>
    public TimeSpan IdleDecay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Surplus nodes tolerated; beyond them the surplus is trimmed at once when scale-down is due. Default 1.</summary>
    public int MaxIdleAgents { get; init; } = 1;
}
