namespace Etrid.Burst.Options;

/// <summary>How the burst controller reaches the Kubernetes API (for its Lease and the HPA's status).</summary>
public enum BurstKubernetesMode
{
    /// <summary>In-cluster when running in a pod, otherwise none (standalone).</summary>
    Auto,

    /// <summary>The pod's service account.</summary>
    InCluster,

    /// <summary>The kubeconfig file named by <c>kubernetes.kubeconfig</c>.</summary>
    Kubeconfig,

    /// <summary>Standalone: no lease (this replica leads), local capacity from <c>local_gpus</c>.</summary>
    None,
}
