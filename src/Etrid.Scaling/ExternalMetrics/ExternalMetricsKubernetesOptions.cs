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

    /// <inheritdoc />
    public override IEnumerable<string> Validate(string path)
    {
        foreach (var problem in base.Validate(path))
        {
            yield return problem;
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{path}.request_timeout: must be above 0 and at most 1m ({RequestTimeout})";
        }
    }
}
