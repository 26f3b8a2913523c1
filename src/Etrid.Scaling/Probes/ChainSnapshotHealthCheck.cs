using Etrid.AiCompute.Snapshots;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Etrid.Scaling.Probes;

/// <summary>Readiness from the snapshot seam: healthy while the figures are fresh, otherwise unhealthy with the seam's reason.</summary>
public sealed class ChainSnapshotHealthCheck(IChainSnapshotSource source) : IHealthCheck
{
    /// <summary>The check's registered name.</summary>
    public const string Name = "chain_snapshot";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reading = source.Read();
        return Task.FromResult(reading.IsFresh ? HealthCheckResult.Healthy(reading.Reason) : HealthCheckResult.Unhealthy(reading.Reason));
    }
}
