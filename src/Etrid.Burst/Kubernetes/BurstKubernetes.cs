using Etrid.Burst.Capacity;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using Etrid.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Etrid.Burst.Kubernetes;

/// <summary>What the burst controller (and the deletion-cost keeper) make from their <see cref="KubernetesAccess"/>: the Lease and the HPA's capacity.</summary>
public static class BurstKubernetes
{
    /// <summary>The key of the controller's client among the host's services (<c>mithril_auto.kubernetes</c>; the keeper shares it).</summary>
    public const string ServiceKey = "burst";

    /// <summary>Each call to the API is bounded; the lease and the HPA read are small.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The controller's client for its <c>kubernetes</c> block, each call bounded by <see cref="CallTimeout"/>.</summary>
    public static KubernetesAccess Connect(KubernetesAccessOptions options, Func<string, string?> environment) =>
        KubernetesAccess.Create(options, environment, CallTimeout);

    /// <summary>The controller's leadership: a Lease when there is a client and election is on, else it leads alone.</summary>
    public static IBurstLeadership CreateLeadership(this KubernetesAccess access, BurstLeaderElectionOptions options, string identity, ILogger<LeaseLeadership>? logger)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(options);
        return access.IsStandalone || !options.Enabled ? new StandaloneLeadership(identity) : LeaseLeadershipFor(access, options, identity, logger);
    }

    /// <summary>Local capacity: the HPA's status when there is a client and <c>hpa.enabled</c>, else <paramref name="localGpus"/>.</summary>
    public static ILocalCapacitySource CreateLocalCapacity(this KubernetesAccess access, BurstHpaOptions options, int localGpus)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(options);
        return access.IsStandalone || !options.Enabled ? new ConfiguredLocalCapacity(localGpus) : HpaCapacityFor(access, options);
    }

    // Apart, and never inlined: standalone, the types that need the Kubernetes library are never loaded.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static LeaseLeadership LeaseLeadershipFor(KubernetesAccess access, BurstLeaderElectionOptions options, string identity, ILogger<LeaseLeadership>? logger) =>
        new(access.Client!, options.LeaseNamespace is { Length: > 0 } ns ? ns : access.Namespace, identity, options, logger);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static HpaLocalCapacity HpaCapacityFor(KubernetesAccess access, BurstHpaOptions options) =>
        new(access.Client!, options.Namespace is { Length: > 0 } ns ? ns : access.Namespace, options.Name, options.GpusPerReplica);
}
