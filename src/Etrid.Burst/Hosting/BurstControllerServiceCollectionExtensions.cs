using System.Reflection;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Capacity;
using Etrid.Burst.Kubernetes;
using Etrid.Burst.Leadership;
using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Etrid.Burst.Status;
using Etrid.Burst.Telemetry;
using Etrid.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Etrid.Burst.Hosting;

/// <summary>Composition of the burst controller into a host.</summary>
public static class BurstControllerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the burst controller for <paramref name="options"/>: <see cref="IBurstStatusSource"/>, the meter
    /// <c>Etrid.Burst</c> and, when enabled, the shared Kubernetes client (Lease and HPA; the top-level <c>kubernetes</c> section) and <see cref="BurstControllerService"/>.
    /// Disabled, only the telemetry (<c>etrid_burst_enabled 0</c>) and a status saying so are registered. The market
    /// comes from the returned builder (<c>.AddMithrilMarket(…)</c>, or <see cref="BurstControllerBuilder.UseMarket"/>
    /// for another provider). The host provides <see cref="IChainSnapshotSource"/> (when enabled),
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> (<c>services.AddMetrics()</c>; the generic host adds it),
    /// and optionally <see cref="TimeProvider"/> (the system clock otherwise) and logging.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The bound section (a provider's, deriving from <see cref="BurstOptions"/>).</param>
    /// <param name="path">The section's path in problems and logs (<c>mithril_auto</c>).</param>
    /// <param name="environment">Reads environment variables (<c>HOSTNAME</c>, <c>POD_NAMESPACE</c>, <c>KUBERNETES_SERVICE_HOST</c>, a provider's key); the process's by default.</param>
    /// <param name="agentVersion">The worker version nodes install unless <c>agent_version_override</c> is set; this assembly's by default.</param>
    /// <param name="randomSeed">Seed of the bid-name suffixes; null draws one (production).</param>
    public static BurstControllerBuilder AddBurstController(
        this IServiceCollection services,
        BurstOptions options,
        string path,
        Func<string, string?>? environment = null,
        string? agentVersion = null,
        int? randomSeed = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        var builder = new BurstControllerBuilder(services, options, path, environment);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<BurstTelemetryActivator>();
        services.TryAddSingleton<BurstMetrics>(sp => new BurstMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<BurstStatusStore>()));
        services.TryAddSingleton<IBurstStatusSource>(sp => sp.GetRequiredService<BurstStatusStore>());
        if (!options.Enabled)
        {
            services.TryAddSingleton(new BurstStatusStore(options));
            return builder;
        }

        // The exporter's one client (the top-level kubernetes section, bound by the host): added here only if no part has.
        services.AddKubernetesAccess(environment);
        services.TryAddSingleton<IBurstLeadership>(sp =>
        {
            var identity = options.LeaderElection.Identity is { Length: > 0 } id ? id : environment("HOSTNAME") is { Length: > 0 } host ? host : Environment.MachineName;
            // The Lease runs on the wall clock (every replica compares renew times with real time), so its calls' bound does too.
            return sp.GetRequiredService<KubernetesAccess>().CreateLeadership(options.LeaderElection, identity, TimeProvider.System, sp.GetService<ILogger<LeaseLeadership>>());
        });
        services.TryAddSingleton<ILocalCapacitySource>(sp => sp.GetRequiredService<KubernetesAccess>().CreateLocalCapacity(options.Hpa, options.LocalGpus, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new BurstStatusStore(options, sp.GetRequiredService<IBurstLeadership>()));
        services.AddHostedService(sp => new BurstControllerService(
            options,
            path,
            sp.GetService<ICapacityMarket>() ?? throw new InvalidOperationException($"{path}: the burst controller is enabled but no capacity market is registered (AddBurstController(…).AddMithrilMarket(…) or .UseMarket(…))"),
            sp.GetRequiredService<IChainSnapshotSource>(),
            sp.GetRequiredService<ILocalCapacitySource>(),
            sp.GetRequiredService<IBurstLeadership>(),
            sp.GetRequiredService<BurstStatusStore>(),
            sp.GetRequiredService<TimeProvider>(),
            environment,
            agentVersion ?? DefaultAgentVersion(),
            randomSeed is { } seed ? new Random(seed) : new Random(),
            sp.GetService<ILoggerFactory>()));
        return builder;
    }

    private static string DefaultAgentVersion()
    {
        var version = typeof(BurstControllerService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        // Drop the source revision ("1.2.3+abcdef"): the version names a release of the worker.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
