using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Kubernetes;

/// <summary>
/// The top-level <c>kubernetes</c> section: where the one Kubernetes client every part shares points (the external
/// metrics API's reviews and ConfigMap watch, the burst controller's Lease and HPA read, the deletion-cost keeper).
/// Each part bounds its own calls; the section has no timeout.
/// </summary>
public sealed class KubernetesAccessOptions : IValidatableObject
{
    /// <summary>The section's key.</summary>
    public const string SectionName = "kubernetes";

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

    /// <summary>Every problem, each naming its member and saying what is wrong (value); <see cref="KubernetesAccessOptionsValidator"/> runs it.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParsedMode is null)
        {
            yield return new ValidationResult($"must be auto, in_cluster, kubeconfig or none ({Mode})", [nameof(Mode)]);
        }

        if (ParsedMode == KubernetesAccessMode.Kubeconfig && string.IsNullOrWhiteSpace(Kubeconfig))
        {
            yield return new ValidationResult("required with mode kubeconfig (none)", [nameof(Kubeconfig)]);
        }
        else if (ParsedMode == KubernetesAccessMode.Kubeconfig && !File.Exists(Kubeconfig))
        {
            // Checked now, so that a file check-config accepts does not stop serve when the first part reaches for the client.
            yield return new ValidationResult($"file not found ({Kubeconfig})", [nameof(Kubeconfig)]);
        }
    }
}
