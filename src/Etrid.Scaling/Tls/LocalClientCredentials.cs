using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Etrid.Scaling.Tls;

/// <summary>
/// Credentials for using the API without a cluster (the demo): a client CA written to a file (give it
/// as <c>authentication.client_ca_file</c>), a client certificate it signed, and a kubeconfig with
/// both so that <c>kubectl --kubeconfig … get --raw …</c> works as printed.
/// </summary>
public sealed class LocalClientCredentials
{
    private readonly string _directory;

    private LocalClientCredentials(string directory, string clientCaFile, X509Certificate2 clientCertificate)
    {
        _directory = directory;
        ClientCaFile = clientCaFile;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The PEM file of the client CA.</summary>
    public string ClientCaFile { get; }

    /// <summary>The client certificate (with its key) the CA signed.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>Makes a CA and a client certificate for <paramref name="user"/> (group <c>system:masters</c>), valid 30 days.</summary>
    public static LocalClientCredentials Create(string directory, string user = "etrid-demo", TimeProvider? timeProvider = null)
    {
        Directory.CreateDirectory(directory);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=etrid-local-client-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:masters");
        subject.AddCommonName(user);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddDays(30), serial);
        var client = issued.CopyWithPrivateKey(key);

        var caFile = Path.Combine(directory, "client-ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        return new LocalClientCredentials(directory, caFile, client);
    }

    /// <summary>Writes a kubeconfig for <paramref name="server"/> trusting <paramref name="servingCertificatePem"/>; returns its path.</summary>
    public string WriteKubeconfig(Uri server, string servingCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(server);
        static string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        var key = ClientCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var path = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: etrid
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {B64(servingCertificatePem)}
            users:
            - name: etrid-demo
              user:
                client-certificate-data: {B64(ClientCertificate.ExportCertificatePem())}
                client-key-data: {B64(key)}
            contexts:
            - name: etrid
              context:
                cluster: etrid
                user: etrid-demo
            current-context: etrid
            """);
        return path;
    }

    /// <summary>A ready command reading <paramref name="metric"/> through <paramref name="kubeconfig"/>.</summary>
    public static string KubectlCommand(string kubeconfig, string metric = "etrid_job_queue_depth", string selector = "status=pending", string @namespace = "default") =>
        $"kubectl --kubeconfig {kubeconfig} get --raw '/apis/external.metrics.k8s.io/v1beta1/namespaces/{@namespace}/{metric}?labelSelector={Uri.EscapeDataString(selector)}'";
}
