using Microsoft.Extensions.Configuration;

namespace Etrid.Kubernetes;

/// <summary>
/// The <c>kubernetes</c> block of a part's section (<c>external_metrics.kubernetes</c>, <c>mithril_auto.kubernetes</c>):
/// where its Kubernetes client points. A part that needs more (a call timeout) derives from it.
/// </summary>
public class KubernetesAccessOptions
{
    /// <summary><c>auto</c> (default: in-cluster inside a pod, else none), <c>in_cluster</c>, <c>kubeconfig</c> or <c>none</c>.</summary>
    [ConfigurationKeyName("mode")]
    public string Mode { get; init; } = "auto";

    /// <summary><see cref="Mode"/> parsed; null when not one of the four.</summary>
    public KubernetesAccessMode? ParsedMode => Mode switch
    {
        "auto" => KubernetesAccessMode.Auto,
        "in_cluster" => KubernetesAccessMode.InCluster,
        "kubeconfig" => KubernetesAccessMode.Kubeconfig,
        "none" => KubernetesAccessMode.None,
        _ => null,
    };

    /// <summary>The kubeconfig file for <c>mode: kubeconfig</c>.</summary>
    [ConfigurationKeyName("kubeconfig")]
    public string? Kubeconfig { get; init; }

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public virtual IEnumerable<string> Validate(string path) =>
        Problems().Select(p => $"{path}.{p.Key}: {p.Message}");

    /// <summary>Every problem of the block: the key (<c>mode</c>, <c>kubeconfig</c>), its member name, and what is wrong (value).</summary>
    public IEnumerable<(string Key, string Member, string Message)> Problems()
    {
        if (ParsedMode is null)
        {
            yield return ("mode", nameof(Mode), $"must be auto, in_cluster, kubeconfig or none ({Mode})");
        }

        if (ParsedMode == KubernetesAccessMode.Kubeconfig && string.IsNullOrWhiteSpace(Kubeconfig))
        {
            yield return ("kubeconfig", nameof(Kubeconfig), "required with mode kubeconfig (none)");
        }
    }
}
