namespace Etrid.Burst.Startup;

/// <summary>What the start-up check found: problems (refuse to start), warnings, and the GPU count of each pool's instance type.</summary>
public sealed record StartupReport(IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, IReadOnlyDictionary<string, int> GpusByInstanceType)
{
    /// <summary>True when nothing stops the controller.</summary>
    public bool Ok => Problems.Count == 0;
}
