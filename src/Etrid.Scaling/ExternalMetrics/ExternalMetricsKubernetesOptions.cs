using System.ComponentModel.DataAnnotations;
using Etrid.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>
/// <c>external_metrics.kubernetes</c>: where the client for delegated authentication and authorization points (the
/// one <see cref="KubernetesAccessOptions"/> setting every part has), and how long each review may take.
/// </summary>
public sealed class ExternalMetricsKubernetesOptions : KubernetesAccessOptions
{
    /// <summary>Timeout of each TokenReview and SubjectAccessReview. Default 10 s.</summary>
    [ConfigurationKeyName("request_timeout")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal IEnumerable<ValidationResult> Problems(string member)
    {
        foreach (var (_, name, message) in Problems())
        {
            yield return new ValidationResult(message, [$"{member}.{name}"]);
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"must be above 0 and at most 1m ({RequestTimeout})", [$"{member}.{nameof(RequestTimeout)}"]);
        }
    }
}
