using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The external metrics API (<c>external.metrics.k8s.io/v1beta1</c>) for the HPA: options section <c>external_metrics</c>.</summary>
public sealed class ExternalMetricsOptions
{
    /// <summary>The options section's name.</summary>
    public const string SectionName = "external_metrics";

    /// <summary>Serve the API. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>HTTPS listen URL. Default <c>https://0.0.0.0:6443</c>.</summary>
    [ConfigurationKeyName("listen")]
    [Required(ErrorMessage = "external_metrics.listen is required")]
    public string Listen { get; init; } = "https://0.0.0.0:6443";

    /// <summary>Oldest figures served; older ones answer 503 so the HPA holds. Default none: the chain's staleness limit.</summary>
    [ConfigurationKeyName("max_data_age")]
    public TimeSpan? MaxDataAge { get; init; }

    /// <summary>The metrics served. Default all of them.</summary>
    [ConfigurationKeyName("metrics")]
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>How long a SubjectAccessReview decision (allow or deny) is kept. Default 10 s.</summary>
    [ConfigurationKeyName("authorization_cache_ttl")]
    public TimeSpan AuthorizationCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The serving certificate.</summary>
    [ConfigurationKeyName("tls")]
    public ExternalMetricsTlsOptions Tls { get; init; } = new();

    /// <summary>Access to the Kubernetes API.</summary>
    [ConfigurationKeyName("kubernetes")]
    public ExternalMetricsKubernetesOptions Kubernetes { get; init; } = new();

    /// <summary>Who may call.</summary>
    [ConfigurationKeyName("authentication")]
    public ExternalMetricsAuthenticationOptions Authentication { get; init; } = new();

    /// <summary>Every problem, each as "path.key: what is wrong (value)".</summary>
    public IEnumerable<string> Validate(string path = SectionName)
    {
        if (!ListenAddress.TryParse(Listen, out var address, out var error))
        {
            yield return $"{path}.listen: {error} ({Listen})";
        }
        else if (address!.Scheme != "https")
        {
            yield return $"{path}.listen: must be https:// (the aggregator only speaks TLS) ({Listen})";
        }

        if (MaxDataAge is { } age && age <= TimeSpan.Zero)
        {
            yield return $"{path}.max_data_age: must be above 0 ({age})";
        }

        if (Metrics is { } metrics)
        {
            foreach (var name in metrics.Where(m => !MetricNames.All.Contains(m.ToLowerInvariant())))
            {
                yield return $"{path}.metrics: unknown metric, expected one of {string.Join(", ", MetricNames.All)} ({name})";
            }
        }

        if (AuthorizationCacheTtl < TimeSpan.Zero || AuthorizationCacheTtl > TimeSpan.FromMinutes(10))
        {
            yield return $"{path}.authorization_cache_ttl: must be between 0s and 10m ({AuthorizationCacheTtl})";
        }

        foreach (var problem in Tls.Validate(path + ".tls").Concat(Kubernetes.Validate(path + ".kubernetes")).Concat(Authentication.Validate(path + ".authentication")))
        {
            yield return problem;
        }
    }
}
