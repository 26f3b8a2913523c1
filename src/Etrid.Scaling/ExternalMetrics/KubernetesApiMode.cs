namespace Etrid.Scaling.ExternalMetrics;

/// <summary>How the API server reaches the Kubernetes API (for the auth ConfigMap, TokenReview and SubjectAccessReview).</summary>
public enum KubernetesApiMode
{
    /// <summary>In-cluster when running in a pod, otherwise none (standalone).</summary>
    Auto,

    /// <summary>The pod's service account.</summary>
    InCluster,

    /// <summary>The kubeconfig file named by <c>kubernetes.kubeconfig</c>.</summary>
    Kubeconfig,

    /// <summary>Standalone: client CA and token files only, no delegated checks.</summary>
    None,
}
