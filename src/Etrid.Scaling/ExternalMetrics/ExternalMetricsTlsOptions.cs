using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Tls;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>
/// The API's serving certificate (<c>external_metrics.tls</c>); without <c>cert_file</c> a self-signed one is generated.
/// The files need not exist at start: the manifests mount an optional Secret that the kubelet fills in when it appears.
/// </summary>
public sealed class ExternalMetricsTlsOptions : TlsFileOptions
{
    /// <summary>The Service's name, for the self-signed certificate's SANs. Default <c>etrid-external-metrics</c>.</summary>
    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; init; } = "etrid-external-metrics";

    /// <summary>The Service's namespace, for the self-signed certificate's SANs. Default <c>etrid-ai-compute</c>.</summary>
    [ConfigurationKeyName("service_namespace")]
    public string ServiceNamespace { get; init; } = "etrid-ai-compute";

    /// <summary>More DNS names or IP addresses for the self-signed certificate. Default none.</summary>
    [ConfigurationKeyName("extra_names")]
    public IReadOnlyList<string>? ExtraNames { get; init; }

    /// <inheritdoc />
    internal override IEnumerable<ValidationResult> Problems(string member)
    {
        foreach (var problem in base.Problems(member))
        {
            yield return problem;
        }

        foreach (var (name, value) in new[] { (nameof(ServiceName), ServiceName), (nameof(ServiceNamespace), ServiceNamespace) })
        {
            if (!IsDnsLabel(value))
            {
                yield return new ValidationResult($"must be a DNS label ({value})", [$"{member}.{name}"]);
            }
        }
    }

    private static bool IsDnsLabel(string s) =>
        s.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
