using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Keda;

/// <summary>Optional TLS of the scaler (<c>keda_scaler.tls</c>): on when a certificate is configured, else cleartext HTTP/2.</summary>
public sealed class KedaScalerTlsOptions
{
    /// <summary>PEM certificate file; reloaded when it changes. Default none (cleartext h2c).</summary>
    [ConfigurationKeyName("cert_file")]
    public string? CertFile { get; init; }

    /// <summary>PEM private key file of <see cref="CertFile"/>.</summary>
    [ConfigurationKeyName("key_file")]
    public string? KeyFile { get; init; }

    /// <summary>PEM CA bundle; when set, KEDA must present a client certificate it signed (TriggerAuthentication <c>tlsClientCert</c>). Default none.</summary>
    [ConfigurationKeyName("client_ca_file")]
    public string? ClientCaFile { get; init; }

    /// <summary>How often the files' timestamps are compared, besides change notifications. Default 1 minute.</summary>
    [ConfigurationKeyName("reload_interval")]
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>True when TLS is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(CertFile);

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal IEnumerable<ValidationResult> Problems(string member)
    {
        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            yield return new ValidationResult($"cert_file and key_file go together ({CertFile ?? "none"}, {KeyFile ?? "none"})", [$"{member}.{nameof(CertFile)}"]);
        }

        foreach (var (name, file) in new[] { (nameof(CertFile), CertFile), (nameof(KeyFile), KeyFile), (nameof(ClientCaFile), ClientCaFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                yield return new ValidationResult($"file not found ({file})", [$"{member}.{name}"]);
            }
        }

        if (!string.IsNullOrEmpty(ClientCaFile) && !Enabled)
        {
            yield return new ValidationResult($"needs cert_file and key_file (TLS) ({ClientCaFile})", [$"{member}.{nameof(ClientCaFile)}"]);
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"must be at least 1s ({ReloadInterval})", [$"{member}.{nameof(ReloadInterval)}"]);
        }
    }
}
