using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Tls;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Keda;

/// <summary>Optional TLS of the scaler (<c>keda_scaler.tls</c>): on when a certificate is configured, else cleartext HTTP/2.</summary>
public sealed class KedaScalerTlsOptions : TlsFileOptions
{
    /// <summary>PEM CA bundle; when set, KEDA must present a client certificate it signed (TriggerAuthentication <c>tlsClientCert</c>). Default none.</summary>
    [ConfigurationKeyName("client_ca_file")]
    public string? ClientCaFile { get; init; }

    /// <summary>True when TLS is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(CertFile);

    /// <inheritdoc />
    internal override IEnumerable<ValidationResult> Problems(string member)
    {
        foreach (var problem in base.Problems(member))
        {
            yield return problem;
        }

        // The scaler loads its files at start (the external metrics API waits for its Secret instead).
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
    }
}
