using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The API's serving certificate (<c>external_metrics.tls</c>).</summary>
public sealed class ExternalMetricsTlsOptions
{
    /// <summary>PEM certificate (chain) file, e.g. from a Secret or cert-manager; reloaded when it changes. Default none: a self-signed certificate is generated.</summary>
    [ConfigurationKeyName("cert_file")]
    public string? CertFile { get; init; }

    /// <summary>PEM private key file of <see cref="CertFile"/>.</summary>
    [ConfigurationKeyName("key_file")]
    public string? KeyFile { get; init; }

    /// <summary>The Service's name, for the self-signed certificate's SANs. Default <c>etrid-external-metrics</c>.</summary>
    [ConfigurationKeyName("service_name")]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ErrorMessage = "external_metrics.tls.service_name must be a DNS label")]
    public string ServiceName { get; init; } = "etrid-external-metrics";

    /// <summary>The Service's namespace, for the self-signed certificate's SANs. Default <c>etrid-ai-compute</c>.</summary>
    [ConfigurationKeyName("service_namespace")]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ErrorMessage = "external_metrics.tls.service_namespace must be a DNS label")]
    public string ServiceNamespace { get; init; } = "etrid-ai-compute";

    /// <summary>More DNS names or IP addresses for the self-signed certificate. Default none.</summary>
    [ConfigurationKeyName("extra_names")]
    public IReadOnlyList<string>? ExtraNames { get; init; }

    /// <summary>How often the files' timestamps are compared, besides file-change notifications (which miss some Secret updates). Default 1 minute.</summary>
    [ConfigurationKeyName("reload_interval")]
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Every problem, each as "path.key: what is wrong (value)".</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            yield return $"{path}.cert_file: cert_file and key_file go together ({CertFile ?? "none"}, {KeyFile ?? "none"})";
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return $"{path}.reload_interval: must be at least 1s ({ReloadInterval})";
        }

        foreach (var (key, value) in new[] { ("service_name", ServiceName), ("service_namespace", ServiceNamespace) })
        {
            if (!IsDnsLabel(value))
            {
                yield return $"{path}.{key}: must be a DNS label ({value})";
            }
        }
    }

    private static bool IsDnsLabel(string s) =>
        s.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
