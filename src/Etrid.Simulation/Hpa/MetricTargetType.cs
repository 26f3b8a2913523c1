namespace Etrid.Simulation.Hpa;

/// <summary>How an External metric's target is read (autoscaling/v2 <c>target.type</c>).</summary>
public enum MetricTargetType
{
    /// <summary>Target per replica: desired = ceil(usage / target).</summary>
    AverageValue,

    /// <summary>Target in total: desired = ceil(usage / target × ready pods).</summary>
    Value,
}
