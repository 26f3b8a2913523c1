using Etrid.Burst.Capacity;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using Etrid.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Etrid.Burst.Kubernetes;

/// <summary>What the burst controller (and the deletion-cost keeper) make from the shared <see cref="KubernetesAccess"/>: the Lease and the HPA's capacity.</summary>
public static class BurstKubernetes
{
    /// <summary>Each of the controller's calls to the API is bounded; the lease and the HPA read are small.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The controller's leadership: a Lease when there is a client and election is on, else it leads alone.</summary>
    /// <param name="access">The shared client.</param>
    /// <param name="options">The <c>leader_election</c> block.</param>
    /// <param name="identity">This replica's identity.</param>
    /// <param name="time">The clock of each call's bound (<see cref="CallTimeout"/>): the wall clock in a host, as the Lease's own timing is.</param>
    /// <param name="logger">Logs transitions.</param>
    public static IBurstLeadership CreateLeadership(this KubernetesAccess access, BurstLeaderElectionOptions options, string identity, TimeProvider time, ILogger<LeaseLeadership>? logger)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(options);
        return access.IsStandalone || !options.Enabled ? new StandaloneLeadership(identity) : LeaseLeadershipFor(access, options, identity, time, logger);
    }

    /// <summary>Local capacity: the HPA's status when there is a client and <c>hpa.enabled</c>, else <paramref name="localGpus"/>.</summary>
    /// <param name="access">The shared client.</param>
    /// <param name="options">The <c>hpa</c> block.</param>
    /// <param name="localGpus">The configured capacity without a cluster.</param>
    /// <param name="time">The clock of each read's bound (<see cref="CallTimeout"/>).</param>
    public static ILocalCapacitySource CreateLocalCapacity(this KubernetesAccess access, BurstHpaOptions options, int localGpus, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(options);
        return access.IsStandalone || !options.Enabled ? new ConfiguredLocalCapacity(localGpus) : HpaCapacityFor(access, options, time);
    }

    // Apart, and never inlined: standalone, the types that need the Kubernetes library are never loaded.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static LeaseLeadership LeaseLeadershipFor(KubernetesAccess access, BurstLeaderElectionOptions options, string identity, TimeProvider time, ILogger<LeaseLeadership>? logger) =>
        new(access.Client!, options.LeaseNamespace is { Length: > 0 } ns ? ns : access.Namespace, identity, options, CallTimeout, time, logger);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static HpaLocalCapacity HpaCapacityFor(KubernetesAccess access, BurstHpaOptions options, TimeProvider time) =>
        new(access.Client!, options.Namespace is { Length: > 0 } ns ? ns : access.Namespace, options.Name, options.GpusPerReplica, CallTimeout, time);
}
