using k8s;

namespace Etrid.Kubernetes;

/// <summary>
/// The exporter's one Kubernetes client, or none when standalone, with the pod's namespace: every part shares it (the
/// external metrics API's delegated auth, the burst controller's Lease and HPA, the deletion-cost keeper), registered
/// once by <see cref="KubernetesAccessServiceCollectionExtensions.AddKubernetesAccess(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, Func{string, string?}?)"/>.
/// The client has no short timeout of its own (the ConfigMap watch is a long call): each part bounds each of its calls
/// with <see cref="KubernetesCall.WithinAsync{T}"/>.
/// </summary>
public sealed class KubernetesAccess : IDisposable
{
    // The service account's namespace file inside a pod.
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private KubernetesAccess(IKubernetes client, string @namespace, string description)
    {
        Client = client;
        Namespace = @namespace;
        Description = description;
    }

    // No client in the signature: preparing this constructor does not load the library.
    private KubernetesAccess(string @namespace, string description)
    {
        IsStandalone = true;
        Namespace = @namespace;
        Description = description;
    }

    /// <summary>The client, or null when standalone.</summary>
    public IKubernetes? Client { get; }

    /// <summary>True without a client. Read this rather than <see cref="Client"/> to decide, so that standalone the library stays unloaded.</summary>
    public bool IsStandalone { get; }

    /// <summary>The pod's namespace (<c>POD_NAMESPACE</c>, else the kubeconfig context's or the service account's, else <c>default</c>).</summary>
    public string Namespace { get; }

    /// <summary>Where the client points, for logs (no credential).</summary>
    public string Description { get; }

    /// <summary>A client for <paramref name="options"/>: in-cluster, a kubeconfig, or none.</summary>
    /// <param name="options">The <c>kubernetes</c> section.</param>
    /// <param name="environment">Reads <c>KUBERNETES_SERVICE_HOST</c> and <c>POD_NAMESPACE</c>.</param>
    /// <remarks>Without a cluster the Kubernetes client library is never loaded (about 3 MB of mapped code).</remarks>
    public static KubernetesAccess Create(KubernetesAccessOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var mode = options.ParsedMode ?? KubernetesAccessMode.None;

        // In-cluster configuration needs KUBERNETES_SERVICE_HOST: without it, auto means none. (Only this
        // short cut reads the injected environment; KubernetesClient's own test reads the process's.)
        return mode == KubernetesAccessMode.None || (mode == KubernetesAccessMode.Auto && string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")))
            ? Standalone(environment)
            : Connect(mode, options, environment);
    }

    /// <summary>Wraps an existing client (tests, or a host that already has one).</summary>
    public static KubernetesAccess From(IKubernetes client, string description, string @namespace = "default")
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client, @namespace, description);
    }

    /// <inheritdoc />
    public void Dispose() => Client?.Dispose();

    private static KubernetesAccess Standalone(Func<string, string?> environment) => new(NamespaceOf(null, environment), "none (standalone)");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static KubernetesAccess Connect(KubernetesAccessMode mode, KubernetesAccessOptions options, Func<string, string?> environment)
    {
        if (mode == KubernetesAccessMode.Auto)
        {
            mode = KubernetesClientConfiguration.IsInCluster() ? KubernetesAccessMode.InCluster : KubernetesAccessMode.None;
        }

        return mode switch
        {
            KubernetesAccessMode.InCluster => From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster", environment),
            KubernetesAccessMode.Kubeconfig => From(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), "kubeconfig " + options.Kubeconfig, environment),
            _ => Standalone(environment),
        };
    }

    private static KubernetesAccess From(KubernetesClientConfiguration configuration, string description, Func<string, string?> environment) =>
        new(new k8s.Kubernetes(configuration), NamespaceOf(configuration.Namespace, environment), description + " (" + configuration.Host + ")");

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
