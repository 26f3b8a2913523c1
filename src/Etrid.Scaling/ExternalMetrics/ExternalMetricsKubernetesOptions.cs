using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>Access to the Kubernetes API for delegated authentication and authorization (<c>external_metrics.kubernetes</c>).</summary>
public sealed class ExternalMetricsKubernetesOptions
{
    /// <summary><c>auto</c> (default: in-cluster inside a pod, else none), <c>in_cluster</c>, <c>kubeconfig</c> or <c>none</c>.</summary>
    [ConfigurationKeyName("mode")]
    public string Mode { get; init; } = "auto";

    /// <summary><see cref="Mode"/> parsed; null when not one of the four.</summary>
    public KubernetesApiMode? ParsedMode => Mode switch
    {
        "auto" => KubernetesApiMode.Auto,
        "in_cluster" => KubernetesApiMode.InCluster,
        "kubeconfig" => KubernetesApiMode.Kubeconfig,
        "none" => KubernetesApiMode.None,
        _ => null,
    };

    /// <summary>The kubeconfig file for <c>mode: kubeconfig</c>.</summary>
    [ConfigurationKeyName("kubeconfig")]
    public string? Kubeconfig { get; init; }

    /// <summary>Timeout of each TokenReview and SubjectAccessReview. Default 10 s.</summary>
    [ConfigurationKeyName("request_timeout")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal IEnumerable<ValidationResult> Problems(string member)
    {
        if (ParsedMode is null)
        {
            yield return new ValidationResult($"must be auto, in_cluster, kubeconfig or none ({Mode})", [$"{member}.{nameof(Mode)}"]);
        }

        if (ParsedMode == KubernetesApiMode.Kubeconfig && string.IsNullOrEmpty(Kubeconfig))
        {
            yield return new ValidationResult("required with mode kubeconfig (none)", [$"{member}.{nameof(Kubeconfig)}"]);
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"must be above 0 and at most 1m ({RequestTimeout})", [$"{member}.{nameof(RequestTimeout)}"]);
        }
    }
}
