using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary><c>mithril_auto.kubernetes</c>: where the controller's Kubernetes client points.</summary>
public sealed class BurstKubernetesOptions
{
    /// <summary><c>auto</c> (default: in-cluster inside a pod, else none), <c>in_cluster</c>, <c>kubeconfig</c> or <c>none</c>.</summary>
    [ConfigurationKeyName("mode")]
    public string Mode { get; init; } = "auto";

    /// <summary><see cref="Mode"/> parsed; null when not one of the four.</summary>
    public BurstKubernetesMode? ParsedMode => Mode switch
    {
        "auto" => BurstKubernetesMode.Auto,
        "in_cluster" => BurstKubernetesMode.InCluster,
        "kubeconfig" => BurstKubernetesMode.Kubeconfig,
        "none" => BurstKubernetesMode.None,
        _ => null,
    };

    /// <summary>The kubeconfig file for <c>mode: kubeconfig</c>.</summary>
    [ConfigurationKeyName("kubeconfig")]
    public string? Kubeconfig { get; init; }

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (ParsedMode is null)
        {
            yield return $"{path}.mode: must be auto, in_cluster, kubeconfig or none ({Mode})";
        }

        if (ParsedMode == BurstKubernetesMode.Kubeconfig && string.IsNullOrWhiteSpace(Kubeconfig))
        {
            yield return $"{path}.kubeconfig: required with mode kubeconfig (none)";
        }
    }
}
