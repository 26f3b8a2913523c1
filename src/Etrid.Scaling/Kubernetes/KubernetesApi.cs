using Etrid.Scaling.ExternalMetrics;
using k8s;

namespace Etrid.Scaling.Kubernetes;

/// <summary>The Kubernetes API client used for delegated authentication and authorization, or none in standalone mode.</summary>
public sealed class KubernetesApi : IDisposable
{
    private KubernetesApi(IKubernetes client, string description)
    {
        Client = client;
        Description = description;
    }

    // No client in the signature: preparing this constructor does not load the library.
    private KubernetesApi(string description)
    {
        IsStandalone = true;
        Description = description;
    }

    /// <summary>The client, or null when standalone.</summary>
    public IKubernetes? Client { get; }

    /// <summary>True without a client. Decide on this rather than <see cref="Client"/>, so that standalone the library stays unloaded.</summary>
    public bool IsStandalone { get; }

    /// <summary>Where the client points, for logs.</summary>
    public string Description { get; }

    /// <summary>A client for <paramref name="options"/>: in-cluster, a kubeconfig, or none.</summary>
    /// <remarks>
    /// Without a cluster (mode <c>none</c>, or <c>auto</c> outside a pod) the Kubernetes client library is
    /// never loaded: about 3 MB of mapped code a standalone server does not need.
    /// </remarks>
    public static KubernetesApi Create(ExternalMetricsKubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.ParsedMode ?? KubernetesApiMode.None;

        // In-cluster configuration needs KUBERNETES_SERVICE_HOST: without it, auto means none.
        return mode == KubernetesApiMode.None || (mode == KubernetesApiMode.Auto && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
            ? Standalone()
            : Connect(mode, options);
    }

    /// <summary>Wraps an existing client (tests, or a host that already has one).</summary>
    public static KubernetesApi From(IKubernetes client, string description)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client, description);
    }

    /// <inheritdoc />
    public void Dispose() => Client?.Dispose();

    private static KubernetesApi Standalone() => new("none (standalone)");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static KubernetesApi Connect(KubernetesApiMode mode, ExternalMetricsKubernetesOptions options)
    {
        if (mode == KubernetesApiMode.Auto)
        {
            mode = KubernetesClientConfiguration.IsInCluster() ? KubernetesApiMode.InCluster : KubernetesApiMode.None;
        }

        return mode switch
        {
            KubernetesApiMode.InCluster => From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster"),
            KubernetesApiMode.Kubeconfig => From(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), "kubeconfig " + options.Kubeconfig),
            _ => Standalone(),
        };
    }

    private static KubernetesApi From(KubernetesClientConfiguration configuration, string description) =>
        new(new k8s.Kubernetes(configuration), description + " (" + configuration.Host + ")");
}
