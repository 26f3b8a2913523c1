using System.Net.Security;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Keda.Protocol;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Keda;

/// <summary>The scaler with TLS and a client CA, as KEDA's TriggerAuthentication (caCert, tlsClientCert) uses it.</summary>
public sealed class KedaScalerTlsTests
{
    [Fact]
    public async Task Tls_ClientWithCertificate_IsServed_ClientWithout_IsRefused()
    {
        using var dir = new TempDirectory();
        var ca = TestCertificates.CreateCa("scaler-ca");
        var serving = TestCertificates.CreateServer(ca, "etrid-keda-scaler");
        var options = new KedaScalerOptions
        {
            Listen = "https://127.0.0.1:0",
            Tls = new KedaScalerTlsOptions
            {
                CertFile = dir.Write("tls.crt", serving.ExportCertificatePem()),
                KeyFile = dir.Write("tls.key", TestCertificates.KeyPem(serving)),
                ClientCaFile = dir.Write("ca.crt", ca.ExportCertificatePem()),
            },
        };
        var hub = Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make(pending: 7));
        await using var scaler = await ScalerHarness.StartAsync(hub, options);
        var clientCertificate = TestCertificates.CreateClient(ca, "keda-operator");

        GrpcChannel Channel(bool withCertificate) => GrpcChannel.ForAddress(scaler.Url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = withCertificate ? [clientCertificate] : null,
                    LocalCertificateSelectionCallback = withCertificate ? (_, _, _, _, _) => clientCertificate : null,
                    RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serving.RawData),
                },
            },
        });

        using var good = Channel(withCertificate: true);
        using var bad = Channel(withCertificate: false);
        var request = new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(("target", "5")) };

        var response = await new ExternalScaler.ExternalScalerClient(good).GetMetricsAsync(request);
        Assert.Equal(7.0, response.MetricValues[0].MetricValueFloat);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await new ExternalScaler.ExternalScalerClient(bad).GetMetricsAsync(request));
        // The refused handshake surfaces as Unavailable, or as Internal when TLS 1.3 lets the client finish its side first.
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task Tls_ClientCaRotated_NewCaIsTrustedAndTheOldOneRefused_WithoutARestart()
    {
        using var dir = new TempDirectory();
        var oldCa = TestCertificates.CreateCa("scaler-ca-old");
        var newCa = TestCertificates.CreateCa("scaler-ca-new");
        var serving = TestCertificates.CreateServer(oldCa, "etrid-keda-scaler");
        var caFile = dir.Write("ca.crt", oldCa.ExportCertificatePem());
        var options = new KedaScalerOptions
        {
            Listen = "https://127.0.0.1:0",
            Tls = new KedaScalerTlsOptions
            {
                CertFile = dir.Write("tls.crt", serving.ExportCertificatePem()),
                KeyFile = dir.Write("tls.key", TestCertificates.KeyPem(serving)),
                ClientCaFile = caFile,
            },
        };
        var hub = Figures.FreshHub(new FakeTimeProvider(DateTimeOffset.UtcNow), Figures.Make(pending: 7));
        await using var scaler = await ScalerHarness.StartAsync(hub, options);
        var oldClient = TestCertificates.CreateClient(oldCa, "keda-operator");
        var newClient = TestCertificates.CreateClient(newCa, "keda-operator");

        // A new channel each time: a TLS handshake is where the CA in force is applied.
        async Task<bool> ServedAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            using var channel = GrpcChannel.ForAddress(scaler.Url, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions
                    {
                        ClientCertificates = [certificate],
                        LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    },
                },
            });
            try
            {
                await new ExternalScaler.ExternalScalerClient(channel).GetMetricsAsync(new GetMetricsRequest { ScaledObjectRef = ScalerHarness.Ref(("target", "5")) });
                return true;
            }
            catch (RpcException)
            {
                return false;
            }
        }

        Assert.True(await ServedAsync(oldClient));
        Assert.False(await ServedAsync(newClient));

        // The Secret's CA bundle is replaced, as cert-manager does when it rotates the CA.
        await File.WriteAllTextAsync(caFile, newCa.ExportCertificatePem());
        File.SetLastWriteTimeUtc(caFile, DateTime.UtcNow.AddMinutes(1));
        await Eventually.WaitAsync(() => ServedAsync(newClient), "a client of the new CA to be served");
        Assert.False(await ServedAsync(oldClient));
    }

    [Fact]
    public void Validate_HttpsWithoutCertificate_IsReported()
    {
        var problems = new KedaScalerOptionsValidator().Validate(null, new KedaScalerOptions { Listen = "https://0.0.0.0:6000" }).Failures!;

        Assert.Contains("Listen: https:// goes with tls.cert_file, http:// without (https://0.0.0.0:6000)", problems);
    }

    [Fact]
    public void Defaults_AreCleartextOnPort6000()
    {
        var options = new KedaScalerOptions();

        Assert.False(new KedaScalerOptionsValidator().Validate(null, options).Failed);
        Assert.Equal("http://0.0.0.0:6000", options.Listen);
        Assert.False(options.Tls.Enabled);
    }

    [Fact]
    public void Binding_SnakeCaseKeys_FillsTheOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["keda_scaler:enabled"] = "false",
            ["keda_scaler:listen"] = "https://0.0.0.0:6001",
            ["keda_scaler:max_data_age"] = "00:00:20",
            ["keda_scaler:default_metric"] = "etrid_gpus",
            ["keda_scaler:tls:cert_file"] = "/tls/tls.crt",
            ["keda_scaler:tls:key_file"] = "/tls/tls.key",
            ["keda_scaler:tls:client_ca_file"] = "/tls/ca.crt",
        }).Build();

        var options = configuration.GetSection("keda_scaler").Get<KedaScalerOptions>()!;

        Assert.False(options.Enabled);
        Assert.Equal("https://0.0.0.0:6001", options.Listen);
        Assert.Equal(TimeSpan.FromSeconds(20), options.MaxDataAge);
        Assert.Equal("etrid_gpus", options.DefaultMetric);
        Assert.Equal("/tls/tls.crt", options.Tls.CertFile);
        Assert.Equal("/tls/tls.key", options.Tls.KeyFile);
        Assert.Equal("/tls/ca.crt", options.Tls.ClientCaFile);
    }
}
