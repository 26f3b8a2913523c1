using Etrid.Burst.Kubernetes;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using Etrid.Exporter.Configuration;
using Etrid.Kubernetes;

namespace Etrid.Exporter.DeletionCost;

/// <summary>Composition of the deletion-cost keeper.</summary>
public static class DeletionCostServiceCollectionExtensions
{
    /// <summary>
    /// Adds the keeper when <c>deletion_cost.enabled</c>. It uses the exporter's one Kubernetes client (the top-level
    /// <c>kubernetes</c> section) and shares the burst controller's leader election (<c>mithril_auto.leader_election</c>): with the burst
    /// controller on, the same election; off, the keeper runs that election itself. Without a cluster it is not added.
    /// </summary>
    public static IServiceCollection AddDeletionCostKeeper(this IServiceCollection services, DeletionCostOptions options, BurstOptions burst, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(burst);
        if (!options.Enabled)
        {
            return services;
        }

        environment ??= Environment.GetEnvironmentVariable;
        services.AddKubernetesAccess(environment);
        services.AddSingleton<IHostedService>(sp =>
        {
            var kubernetes = sp.GetRequiredService<KubernetesAccess>();
            var logger = sp.GetRequiredService<ILogger<DeletionCostKeeper>>();
            if (kubernetes.IsStandalone)
            {
                return new IdleKeeper(logger);
            }

            var shared = sp.GetService<IBurstLeadership>();
            var identity = burst.LeaderElection.Identity is { Length: > 0 } id ? id : environment("HOSTNAME") is { Length: > 0 } host ? host : Environment.MachineName;
            // The Lease runs on the wall clock, so its calls' bound does too (as the burst controller's).
            var leadership = shared ?? kubernetes.CreateLeadership(burst.LeaderElection, identity, TimeProvider.System, sp.GetService<ILogger<LeaseLeadership>>());
            return new DeletionCostKeeper(kubernetes.Client!, kubernetes.Namespace, leadership, shared is null, options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), logger);
        });
        return services;
    }
}
