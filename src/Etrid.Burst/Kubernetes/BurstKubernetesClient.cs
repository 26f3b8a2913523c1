using Etrid.Burst.Capacity;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using k8s;
using Microsoft.Extensions.Logging;

namespace Etrid.Burst.Kubernetes;

/// <summary>The controller's Kubernetes client (Lease and HPA), or none when standalone, with the pod's namespace.</summary>
public sealed class BurstKubernetesClient : IDisposable
{
    // The service account's namespace file inside a pod.
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    // Each call to the API is bounded; the lease and the HPA read are small.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private BurstKubernetesClient(IKubernetes client, string @namespace, string description)
    {
        Client = client;
        Namespace = @namespace;
        Description = description;
    }

    // No client in the signature: preparing this constructor does not load the library.
    private BurstKubernetesClient(string @namespace, string description)
    {
        IsStandalone = true;
        Namespace = @namespace;
        Description = description;
    }

    /// <summary>The client, or null when standalone.</summary>
    public IKubernetes? Client { get; }

    /// <summary>True without a client. Read this rather than <see cref="Client"/> to decide, so that standalone the library stays unloaded.</summary>
    public bool IsStandalone { get; }

    /// <summary>The pod's namespace (or the kubeconfig context's, else <c>default</c>).</summary>
    public string Namespace { get; }

    /// <summary>Where the client points, for logs (no credential).</summary>
    public string Description { get; }

    /// <summary>A client for <paramref name="options"/>: in-cluster, a kubeconfig, or none.</summary>
    /// <remarks>Without a cluster the Kubernetes client library is never loaded (about 3 MB of mapped code).</remarks>
    public static BurstKubernetesClient Create(BurstKubernetesOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.ParsedMode ?? BurstKubernetesMode.None;

        // In-cluster configuration needs KUBERNETES_SERVICE_HOST: without it, auto means none. (Only this
        // short cut reads the injected environment; KubernetesClient's own test reads the process's.)
        return mode == BurstKubernetesMode.None || (mode == BurstKubernetesMode.Auto && string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")))
            ? Standalone(environment)
            : Connect(mode, options, environment);
    }

    /// <summary>The controller's leadership: a Lease when there is a client and election is on, else it leads alone.</summary>
    public IBurstLeadership CreateLeadership(BurstLeaderElectionOptions options, string identity, ILogger<LeaseLeadership>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsStandalone || !options.Enabled ? new StandaloneLeadership(identity) : LeaseLeadershipFor(options, identity, logger);
    }

    /// <summary>Local capacity: the HPA's status when there is a client and <c>hpa.enabled</c>, else <paramref name="localGpus"/>.</summary>
    public ILocalCapacitySource CreateLocalCapacity(BurstHpaOptions options, int localGpus)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsStandalone || !options.Enabled ? new ConfiguredLocalCapacity(localGpus) : HpaCapacityFor(options);
    }

    /// <inheritdoc />
    public void Dispose() => Client?.Dispose();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private LeaseLeadership LeaseLeadershipFor(BurstLeaderElectionOptions options, string identity, ILogger<LeaseLeadership>? logger) =>
        new(Client!, options.LeaseNamespace is { Length: > 0 } ns ? ns : Namespace, identity, options, logger);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private HpaLocalCapacity HpaCapacityFor(BurstHpaOptions options) =>
        new(Client!, options.Namespace is { Length: > 0 } ns ? ns : Namespace, options.Name, options.GpusPerReplica);

    private static BurstKubernetesClient Standalone(Func<string, string?> environment) => new(NamespaceOf(null, environment), "none (standalone)");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static BurstKubernetesClient Connect(BurstKubernetesMode mode, BurstKubernetesOptions options, Func<string, string?> environment)
    {
        if (mode == BurstKubernetesMode.Auto)
        {
            mode = KubernetesClientConfiguration.IsInCluster() ? BurstKubernetesMode.InCluster : BurstKubernetesMode.None;
        }

        return mode switch
        {
            BurstKubernetesMode.InCluster => From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster", environment),
            BurstKubernetesMode.Kubeconfig => From(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), "kubeconfig " + options.Kubeconfig, environment),
            _ => Standalone(environment),
        };
    }

    private static BurstKubernetesClient From(KubernetesClientConfiguration configuration, string description, Func<string, string?> environment)
    {
        configuration.HttpClientTimeout = CallTimeout;
        return new(new k8s.Kubernetes(configuration), NamespaceOf(configuration.Namespace, environment), description + " (" + configuration.Host + ")");
    }

    private static string NamespaceOf(string? configured, Func<string, string?> environment)
    {
        if (environment("POD_NAMESPACE") is { Length: > 0 } pod)
        {
            return pod;
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
    }
}
