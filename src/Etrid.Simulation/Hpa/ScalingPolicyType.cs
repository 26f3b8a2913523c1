namespace Etrid.Simulation.Hpa;

/// <summary>What a scaling policy limits: pods or percent per period.</summary>
public enum ScalingPolicyType
{
    /// <summary>At most this many pods per period.</summary>
    Pods,

    /// <summary>At most this percentage of the replicas at the period's start per period.</summary>
    Percent,
}
