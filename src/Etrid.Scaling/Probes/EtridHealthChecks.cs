using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Etrid.Scaling.Probes;

/// <summary>
/// Declares the process's health once: a liveness check (<see cref="HealthTags.Live"/>) and readiness from the
/// snapshot seam (<see cref="HealthTags.Ready"/>). Every listener maps its probes over these checks by tag.
/// </summary>
public static class EtridHealthChecks
{
    /// <summary>Adds the shared checks once, however many parts ask (a duplicate name would fail every probe).</summary>
    public static IServiceCollection AddEtridHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return services;
        }

        services.AddSingleton<Marker>();
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("ok"), tags: [HealthTags.Live])
            .AddCheck<ChainSnapshotHealthCheck>(ChainSnapshotHealthCheck.Name, tags: [HealthTags.Ready]);
        return services;
    }

    private sealed class Marker;
}
