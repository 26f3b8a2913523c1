using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Etrid.Scaling.ExternalMetrics;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Tls;

/// <summary>
/// A listener's serving certificate: from PEM files, reloaded when they change (file-change
/// notifications plus a periodic timestamp check, since Secret updates swap symlinks), or a
/// self-signed one generated at start with the Service's names when no files are configured.
/// The CA bundle that client certificates must chain to, when configured, is reloaded with it.
/// A failed reload keeps what is in use.
/// </summary>
public sealed partial class ServingCertificate : IDisposable
{
    private readonly string _component;
    private readonly string? _certFile;
    private readonly string? _keyFile;
    private readonly string? _clientCaFile;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _timer;
    private readonly Lock _reloadLock = new();
    private Served _current;
    private (DateTime Cert, DateTime Key, DateTime ClientCa) _stamps;

    public ServingCertificate(ExternalMetricsTlsOptions options, ILogger<ServingCertificate> logger, TimeProvider? timeProvider = null)
        : this("external_metrics", options?.CertFile, options?.KeyFile, DnsNames(options!), options!.ReloadInterval, logger, timeProvider)
    {
    }

    /// <param name="component">The options section, for log messages.</param>
    /// <param name="certFile">PEM certificate file, or null for a self-signed certificate.</param>
    /// <param name="keyFile">PEM key file, or null for a self-signed certificate.</param>
    /// <param name="selfSignedNames">Names of a self-signed certificate.</param>
    /// <param name="reloadInterval">How often the files' timestamps are compared.</param>
    /// <param name="clientCaFile">PEM bundle client certificates must chain to (only with files), or null.</param>
    public ServingCertificate(string component, string? certFile, string? keyFile, IReadOnlyList<string> selfSignedNames, TimeSpan reloadInterval, ILogger logger, TimeProvider? timeProvider = null, string? clientCaFile = null)
    {
        ArgumentNullException.ThrowIfNull(selfSignedNames);
        _component = component;
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = logger;
        if (string.IsNullOrEmpty(certFile) || string.IsNullOrEmpty(keyFile))
        {
            IsSelfSigned = true;
            _current = new Served(CreateSelfSigned(selfSignedNames, timeProvider ?? TimeProvider.System), [], null);
            Log.SelfSigned(_logger, component, string.Join(", ", selfSignedNames));
            return;
        }

        _clientCaFile = string.IsNullOrEmpty(clientCaFile) ? null : clientCaFile;
        _current = Load();
        _stamps = Stamps();
        Log.Loaded(_logger, component, certFile, _current.Certificate.Subject, _current.Certificate.NotAfter);
        foreach (var directory in new[] { certFile, keyFile, _clientCaFile }.OfType<string>().Select(Path.GetDirectoryName).Distinct())
        {
            var watcher = new FileSystemWatcher(string.IsNullOrEmpty(directory) ? "." : directory) { IncludeSubdirectories = false };
            watcher.Changed += (_, _) => TryReload();
            watcher.Created += (_, _) => TryReload();
            watcher.Renamed += (_, _) => TryReload();
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(_ => TryReload(), null, reloadInterval, reloadInterval);
    }

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current).Certificate;

    /// <summary>The CA bundle client certificates must chain to now; null when none is configured.</summary>
    public X509Certificate2Collection? ClientCa => Volatile.Read(ref _current).ClientCa;

    /// <summary>True when generated at start (no files configured).</summary>
    public bool IsSelfSigned { get; }

    /// <summary>The names a self-signed certificate carries: the Service's names and localhost, plus extra names (DNS names or IP addresses).</summary>
    public static IReadOnlyList<string> DnsNames(ExternalMetricsTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var svc = options.ServiceName;
        var ns = options.ServiceNamespace;
        return new[] { svc, $"{svc}.{ns}", $"{svc}.{ns}.svc", $"{svc}.{ns}.svc.cluster.local", "localhost" }
            .Concat(options.ExtraNames ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>The current certificate as PEM (for a kubeconfig's or an APIService's CA bundle when self-signed).</summary>
    public string ExportPem() => Current.ExportCertificatePem();

    /// <summary>
    /// The TLS options of one handshake (TLS 1.2+, no revocation look-ups). The certificate's context is built once
    /// per certificate and shared by every handshake: OpenSSL's context is cached on it, whereas a certificate chosen
    /// per connection (Kestrel's <c>ServerCertificateSelector</c>) builds a chain and a native context per connection,
    /// which connection churn turned into hundreds of megabytes.
    /// </summary>
    /// <param name="clientCertificates">Whether client certificates are asked for, and how they are checked.</param>
    public SslServerAuthenticationOptions ServerOptions(ClientCertificates clientCertificates)
    {
        var served = Volatile.Read(ref _current);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = served.Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateRequired = clientCertificates != ClientCertificates.None,
            RemoteCertificateValidationCallback = clientCertificates switch
            {
                ClientCertificates.None => null,
                // Checked per request against the CAs in force (they rotate), not at the handshake.
                ClientCertificates.Accepted => (_, _, _, _) => true,
                _ => (_, certificate, _, _) => certificate is not null && served.ClientCa is { } roots && Chains(certificate, roots),
            },
        };
    }

    /// <summary>Reloads from the files when their timestamps changed; keeps the old certificate on failure.</summary>
    public bool TryReload()
    {
        if (IsSelfSigned)
        {
            return false;
        }

        lock (_reloadLock)
        {
            try
            {
                var stamps = Stamps();
                if (stamps == _stamps)
                {
                    return false;
                }

                var next = Load();
                Volatile.Write(ref _current, next);
                _stamps = stamps;
                // Handshakes in flight may still hold the old certificate: the GC releases it.
                Log.Reloaded(_logger, _component, _certFile!, next.Certificate.Subject, next.Certificate.NotAfter);
                return true;
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
            {
                // Mid-rotation the key and certificate may briefly disagree; the next change or tick retries.
                Log.ReloadFailed(_logger, _component, _certFile!, e.Message);
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    /// <summary>A self-signed serving certificate (ECDSA P-256, one year) for <paramref name="dnsNames"/>, 127.0.0.1 and ::1.</summary>
    public static X509Certificate2 CreateSelfSigned(IReadOnlyList<string> dnsNames, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = timeProvider.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    private static bool Chains(X509Certificate certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (certificate is X509Certificate2 leaf)
        {
            return chain.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(copy);
    }

    private Served Load()
    {
        // The certificate file may carry intermediates after the leaf: they are sent with it.
        var leaf = X509Certificate2.CreateFromPemFile(_certFile!, _keyFile!);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(_certFile!);
        var intermediates = new X509Certificate2Collection(all.Skip(1).ToArray());
        X509Certificate2Collection? clientCa = null;
        if (_clientCaFile is not null)
        {
            clientCa = [];
            clientCa.ImportFromPemFile(_clientCaFile);
        }

        return new Served(leaf, intermediates, clientCa);
    }

    private (DateTime, DateTime, DateTime) Stamps() =>
        (File.GetLastWriteTimeUtc(_certFile!), File.GetLastWriteTimeUtc(_keyFile!), _clientCaFile is null ? default : File.GetLastWriteTimeUtc(_clientCaFile));

    /// <summary>A certificate with its handshake context, and the client CA bundle loaded with it.</summary>
    private sealed class Served(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection? clientCa)
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public SslStreamCertificateContext Context { get; } = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);

        public X509Certificate2Collection? ClientCa { get; } = clientCa;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "{Component}: no tls.cert_file configured; serving a self-signed certificate for {Names} (clients must skip verification or trust it; configure a certificate for production)")]
        public static partial void SelfSigned(ILogger logger, string component, string names);

        [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "{Component}: serving certificate loaded from {File}: {Subject}, valid until {NotAfter:o}")]
        public static partial void Loaded(ILogger logger, string component, string file, string subject, DateTime notAfter);

        [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "{Component}: serving certificate reloaded from {File}: {Subject}, valid until {NotAfter:o}")]
        public static partial void Reloaded(ILogger logger, string component, string file, string subject, DateTime notAfter);

        [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "{Component}: could not reload the serving certificate from {File}, keeping the current one: {Error}")]
        public static partial void ReloadFailed(ILogger logger, string component, string file, string error);
    }
}
