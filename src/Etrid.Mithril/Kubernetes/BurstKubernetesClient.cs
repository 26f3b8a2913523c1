using Etrid.Mithril.Options;
using k8s;

namespace Etrid.Mithril.Kubernetes;

/// <summary>The controller's Kubernetes client (Lease and HPA), or none when standalone, with the pod's namespace.</summary>
public sealed class BurstKubernetesClient : IDisposable
{
    // The service account's namespace file inside a pod.
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    // Each call to the API is bounded; the lease and the HPA read are small.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private BurstKubernetesClient(IKubernetes? client, string @namespace, string description)
    {
        Client = client;
        Namespace = @namespace;
        Description = description;
    }

    /// <summary>The client, or null when standalone.</summary>
    public IKubernetes? Client { get; }

    /// <summary>The pod's namespace (or the kubeconfig context's, else <c>default</c>).</summary>
    public string Namespace { get; }

    /// <summary>Where the client points, for logs (no credential).</summary>
    public string Description { get; }

    /// <summary>A client for <paramref name="options"/>: in-cluster, a kubeconfig, or none.</summary>
    public static BurstKubernetesClient Create(BurstKubernetesOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.ParsedMode ?? BurstKubernetesMode.None;
        if (mode == BurstKubernetesMode.Auto)
        {
            mode = KubernetesClientConfiguration.IsInCluster() ? BurstKubernetesMode.InCluster : BurstKubernetesMode.None;
        }

        return mode switch
        {
            BurstKubernetesMode.InCluster => From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster", environment),
            BurstKubernetesMode.Kubeconfig => From(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), "kubeconfig " + options.Kubeconfig, environment),
            _ => new BurstKubernetesClient(null, NamespaceOf(null, environment), "none (standalone)"),
        };
    }

    /// <inheritdoc />
    public void Dispose() => Client?.Dispose();

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
