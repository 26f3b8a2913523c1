namespace Etrid.Burst.Policy;

/// <summary>One tick's view for the scale gate, in GPUs of burst capacity.</summary>
public sealed record GateInput
{
    /// <summary>Burst GPUs the queue asks for.</summary>
    public required long DesiredGpus { get; init; }

    /// <summary>Burst GPUs live or pending now (preempting and not-winning bids excluded).</summary>
    public required long CurrentGpus { get; init; }

    /// <summary>GPUs of the node a removal would take (the decay step).</summary>
    public required int StepGpus { get; init; }

    /// <summary>False when the figures are stale: hold, act on nothing.</summary>
    public bool Fresh { get; init; } = true;

    /// <summary>The average wait is above its threshold while local capacity is exhausted: no need to wait for <c>scale_up_after</c>.</summary>
    public bool Urgent { get; init; }

    /// <summary>The oldest pending job is due (waited <c>wait_threshold − wait_lead</c>): capacity asked for later would come too late.</summary>
    public bool Due { get; init; }
}
