using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The external metrics API (<c>external.metrics.k8s.io/v1beta1</c>) for the HPA: options section <c>external_metrics</c>.</summary>
public sealed class ExternalMetricsOptions : IValidatableObject
{
    /// <summary>The options section's name.</summary>
    public const string SectionName = "external_metrics";

    /// <summary>Serve the API. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>HTTPS listen URL. Default <c>https://0.0.0.0:6443</c>.</summary>
    [ConfigurationKeyName("listen")]
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

    /// <summary>The serving certificate; without <c>cert_file</c> a self-signed one is generated.</summary>
    [ConfigurationKeyName("tls")]
    public ExternalMetricsTlsOptions Tls { get; init; } = new();

    /// <summary>
    /// Longest wait for each call the API makes to Kubernetes (TokenReview, SubjectAccessReview, the authentication
    /// ConfigMap's read) through the shared client of the top-level <c>kubernetes</c> section. Default 10 s.
    /// </summary>
    [ConfigurationKeyName("review_timeout")]
    public TimeSpan ReviewTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Who may call.</summary>
    [ConfigurationKeyName("authentication")]
    public ExternalMetricsAuthenticationOptions Authentication { get; init; } = new();

    /// <summary>
    /// Every problem, each naming its member (<c>Tls.CertFile</c>) and saying what is wrong (value); the generated
    /// <see cref="ExternalMetricsOptionsValidator"/> runs it, and the host names the member by its key.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ListenAddress.TryParse(Listen, out var address, out var error))
        {
            yield return new ValidationResult($"{error} ({Listen})", [nameof(Listen)]);
        }
        else if (address!.Scheme != "https")
        {
            yield return new ValidationResult($"must be https:// (the aggregator only speaks TLS) ({Listen})", [nameof(Listen)]);
        }

        if (MaxDataAge is { } age && age <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"must be above 0 ({age})", [nameof(MaxDataAge)]);
        }

        if (Metrics is { } metrics)
        {
            foreach (var name in metrics.Where(m => !MetricNames.All.Contains(m.ToLowerInvariant())))
            {
                yield return new ValidationResult($"unknown metric, expected one of {string.Join(", ", MetricNames.All)} ({name})", [nameof(Metrics)]);
            }
        }

        if (AuthorizationCacheTtl < TimeSpan.Zero || AuthorizationCacheTtl > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"must be between 0s and 10m ({AuthorizationCacheTtl})", [nameof(AuthorizationCacheTtl)]);
        }

        if (ReviewTimeout <= TimeSpan.Zero || ReviewTimeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"must be above 0 and at most 1m ({ReviewTimeout})", [nameof(ReviewTimeout)]);
        }

        foreach (var problem in Tls.Problems(nameof(Tls)).Concat(Authentication.Problems(nameof(Authentication))))
        {
            yield return problem;
        }
    }
}
