namespace Etrid.Kubernetes;

/// <summary>How the exporter reaches the Kubernetes API (the top-level <c>kubernetes.mode</c> key).</summary>
public enum KubernetesAccessMode
{
    /// <summary>In-cluster when running in a pod, otherwise none (standalone).</summary>
    Auto,

    /// <summary>The pod's service account.</summary>
    InCluster,

    /// <summary>The kubeconfig file named by <c>kubernetes.kubeconfig</c>.</summary>
    Kubeconfig,

    /// <summary>Standalone: no cluster; each part says what it does without one.</summary>
    None,
}
