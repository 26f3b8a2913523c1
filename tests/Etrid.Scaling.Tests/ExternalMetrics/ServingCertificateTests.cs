using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.ExternalMetrics;

public sealed class ServingCertificateTests
{
    private static async Task<(X509Certificate2 Certificate, System.Security.Authentication.SslProtocols Protocol)> HandshakeAsync(Uri server, System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return (new X509Certificate2(tls.RemoteCertificate!), tls.SslProtocol);
    }

    [Fact]
    public async Task CertificateFiles_ChangedOnDisk_AreServedToNewConnections()
    {
        using var dir = new TempDirectory();
        var ca = TestCertificates.CreateCa("serving-ca");
        var first = TestCertificates.CreateServer(ca, "first");
        var certFile = dir.Write("tls.crt", first.ExportCertificatePem());
        var keyFile = dir.Write("tls.key", TestCertificates.KeyPem(first));
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Tls = new ExternalMetricsTlsOptions { CertFile = certFile, KeyFile = keyFile },
        };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);
        Assert.Equal(first.Thumbprint, (await HandshakeAsync(api.ApiUrl)).Certificate.Thumbprint);

        var second = TestCertificates.CreateServer(ca, "second");
        // Written aside and moved in, as a Secret volume swaps its files.
        File.WriteAllText(Path.Combine(dir.Path, "tls.key.new"), TestCertificates.KeyPem(second));
        File.WriteAllText(Path.Combine(dir.Path, "tls.crt.new"), second.ExportCertificatePem());
        File.Move(Path.Combine(dir.Path, "tls.key.new"), keyFile, overwrite: true);
        File.Move(Path.Combine(dir.Path, "tls.crt.new"), certFile, overwrite: true);

        await Eventually.WaitAsync(async () => (await HandshakeAsync(api.ApiUrl)).Certificate.Thumbprint == second.Thumbprint, "the rotated certificate to be served");
    }

    [Fact]
    public async Task Tls11_IsRefused()
    {
        var options = new ExternalMetricsOptions { Listen = "https://127.0.0.1:0" };
        await using var api = await ApiHarness.StartAsync(Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make()), options);

#pragma warning disable SYSLIB0039 // the point is to offer an obsolete protocol
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(api.ApiUrl, System.Security.Authentication.SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        var (_, protocol) = await HandshakeAsync(api.ApiUrl);
        Assert.True(protocol >= System.Security.Authentication.SslProtocols.Tls12);
    }
}
