using Etrid.Scaling.ExternalMetrics;
using k8s;

namespace Etrid.Scaling.Kubernetes;

/// <summary>The Kubernetes API client used for delegated authentication and authorization, or none in standalone mode.</summary>
public sealed class KubernetesApi : IDisposable
{
    private KubernetesApi(IKubernetes? client, string description)
    {
        Client = client;
        Description = description;
    }

    /// <summary>The client, or null when standalone.</summary>
    public IKubernetes? Client { get; }

    /// <summary>Where the client points, for logs.</summary>
    public string Description { get; }

    /// <summary>A client for <paramref name="options"/>: in-cluster, a kubeconfig, or none.</summary>
    public static KubernetesApi Create(ExternalMetricsKubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.ParsedMode ?? KubernetesApiMode.None;
        if (mode == KubernetesApiMode.Auto)
        {
            mode = KubernetesClientConfiguration.IsInCluster() ? KubernetesApiMode.InCluster : KubernetesApiMode.None;
        }

        return mode switch
        {
            KubernetesApiMode.InCluster => From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster"),
            KubernetesApiMode.Kubeconfig => From(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), "kubeconfig " + options.Kubeconfig),
            _ => new KubernetesApi(null, "none (standalone)"),
        };
    }

    /// <summary>Wraps an existing client (tests, or a host that already has one).</summary>
    public static KubernetesApi From(IKubernetes client, string description) => new(client, description);

    /// <inheritdoc />
    public void Dispose() => Client?.Dispose();

    private static KubernetesApi From(KubernetesClientConfiguration configuration, string description) =>
        new(new k8s.Kubernetes(configuration), description + " (" + configuration.Host + ")");
}
