namespace Etrid.Simulation.Policies;

/// <summary>What the naive policy bids on and its pacing.</summary>
public sealed record NaiveSettings
{
    /// <summary>Project FID.</summary>
    public required string Project { get; init; }

    /// <summary>Region.</summary>
    public required string Region { get; init; }

    /// <summary>The one instance type it bids on (the first pool's).</summary>
    public required string InstanceType { get; init; }

    /// <summary>GPUs per instance of that type.</summary>
    public required int GpusPerNode { get; init; }

    /// <summary>Limit price per GPU-hour (the first pool's).</summary>
    public required decimal LimitPricePerGpuHour { get; init; }

    /// <summary>SSH keys sent with each bid.</summary>
    public IReadOnlyList<string> SshKeys { get; init; } = [];

    /// <summary>Most live bids.</summary>
    public int MaxAgents { get; init; } = 10;

    /// <summary>Pending jobs one GPU absorbs.</summary>
    public double TargetJobsPerGpu { get; init; } = 1;

    /// <summary>How long demand must exceed capacity before each +50 %. Default 60 s (the seed's rule).</summary>
    public TimeSpan ScaleUpAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the cloud must be unneeded before each −10 %. Default 5 min (the seed's rule).</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromMinutes(5);
}
