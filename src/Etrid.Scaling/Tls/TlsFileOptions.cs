using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Tls;

/// <summary>
/// The certificate files a listener serves from (<c>tls.cert_file</c>, <c>tls.key_file</c>, <c>tls.reload_interval</c>)
/// and their rules: the keys and checks the external metrics API's and the KEDA scaler's <c>tls</c> blocks share.
/// </summary>
public abstract class TlsFileOptions
{
    /// <summary>PEM certificate (chain) file, e.g. from a Secret or cert-manager; reloaded when it changes.</summary>
    [ConfigurationKeyName("cert_file")]
    public string? CertFile { get; init; }

    /// <summary>PEM private key file of <see cref="CertFile"/>.</summary>
    [ConfigurationKeyName("key_file")]
    public string? KeyFile { get; init; }

    /// <summary>How often the files' timestamps are compared, besides file-change notifications (which miss some Secret updates). Default 1 minute.</summary>
    [ConfigurationKeyName("reload_interval")]
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal virtual IEnumerable<ValidationResult> Problems(string member)
    {
        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            yield return new ValidationResult($"cert_file and key_file go together ({CertFile ?? "none"}, {KeyFile ?? "none"})", [$"{member}.{nameof(CertFile)}"]);
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"must be at least 1s ({ReloadInterval})", [$"{member}.{nameof(ReloadInterval)}"]);
        }
    }
}
