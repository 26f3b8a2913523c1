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
    public string ServiceName { get; init; } = "etrid-external-metrics";

    /// <summary>The Service's namespace, for the self-signed certificate's SANs. Default <c>etrid-ai-compute</c>.</summary>
    [ConfigurationKeyName("service_namespace")]
    public string ServiceNamespace { get; init; } = "etrid-ai-compute";

    /// <summary>More DNS names or IP addresses for the self-signed certificate. Default none.</summary>
    [ConfigurationKeyName("extra_names")]
    public IReadOnlyList<string>? ExtraNames { get; init; }

    /// <summary>How often the files' timestamps are compared, besides file-change notifications (which miss some Secret updates). Default 1 minute.</summary>
    [ConfigurationKeyName("reload_interval")]
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal IEnumerable<ValidationResult> Problems(string member)
    {
        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            yield return new ValidationResult($"cert_file and key_file go together ({CertFile ?? "none"}, {KeyFile ?? "none"})", [$"{member}.{nameof(CertFile)}"]);
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"must be at least 1s ({ReloadInterval})", [$"{member}.{nameof(ReloadInterval)}"]);
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
