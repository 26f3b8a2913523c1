namespace Etrid.Simulation.Reporting;

/// <summary>How one policy fared over the simulated day.</summary>
public sealed record PolicyResult
{
    /// <summary><c>configured</c> or <c>naive</c>.</summary>
    public required string Name { get; init; }

    /// <summary>95th percentile of job waits (submission to start; unstarted jobs count with their wait so far).</summary>
    public required double P95WaitSeconds { get; init; }

    /// <summary>Mean job wait.</summary>
    public required double MeanWaitSeconds { get; init; }

    /// <summary>Allocated instance time × the spot price of the time (Starting, Running, Preempting and Stopping instances).</summary>
    public required decimal CloudCostUsd { get; init; }

    /// <summary>Allocated instance time × GPUs per instance.</summary>
    public required double GpuHoursRented { get; init; }

    /// <summary>Bids created.</summary>
    public required int BidsCreated { get; init; }

    /// <summary>Paused bids resumed.</summary>
    public required int BidsResumed { get; init; }

    /// <summary>Times a bid entered <c>Preempting</c>.</summary>
    public required int BidsPreempted { get; init; }

    /// <summary>Jobs that started (at least once).</summary>
    public required int JobsStarted { get; init; }

    /// <summary>Jobs restarted because their cloud instance stopped under them.</summary>
    public required int JobsRestarted { get; init; }

    /// <summary>Most cloud GPUs running at once.</summary>
    public required int PeakCloudGpus { get; init; }

    /// <summary>Cloud GPUs running at the end of the day.</summary>
    public required int CloudGpusAtEnd { get; init; }

    /// <summary>Bids paused or cancelled within <c>scale_down_after</c> of their creation.</summary>
    public required int ReleasedEarly { get; init; }

    /// <summary>Bids paused, resumed and paused again within <c>scale_down_after</c>.</summary>
    public required int PauseResumePause { get; init; }

    /// <summary>Running nodes released while the queue's demand was at or above the capacity held.</summary>
    public required int ReleasedUnderDemand { get; init; }

    /// <summary>Bids neither terminated nor paused at the end of the day.</summary>
    public required int LiveBidsAtEnd { get; init; }
}
