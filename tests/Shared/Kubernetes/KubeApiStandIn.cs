using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Tests.Shared;

/// <summary>
/// An in-process HTTPS stand-in of the Kubernetes API: the hosting every fake shares (Kestrel on loopback with its own
/// certificate, a bearer token, a kubeconfig, a log of requests). The resources are each test project's own: its fake
/// maps the routes it needs (Leases and an HPA for the burst controller, nodes and pods for the deletion-cost keeper,
/// the authentication ConfigMap and the reviews for the external metrics API). KubernetesClient reaches it over real TLS.
/// </summary>
/// <remarks>Included by the test projects that talk to Kubernetes (it needs ASP.NET Core and KubernetesClient).</remarks>
internal sealed class KubeApiStandIn : IAsyncDisposable
{
    /// <summary>The namespace the kubeconfig's context names.</summary>
    public const string Namespace = "etrid-ai-compute";

    private readonly WebApplication _app;
    private int _unauthorized;
    private int _held;
    private int _released;

    private KubeApiStandIn(WebApplication app, X509Certificate2 certificate, string token)
    {
        _app = app;
        Certificate = certificate;
        Token = token;
    }

    /// <summary>The bearer token a request must carry.</summary>
    public string Token { get; }

    /// <summary>The serving certificate, self-signed: the CA a client trusts.</summary>
    public X509Certificate2 Certificate { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request as <c>METHOD path</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Requests refused for a wrong or missing token.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    /// <summary>A silent API server: the routes that call <see cref="HoldIfSilentAsync"/> answer nothing until the client hangs up.</summary>
    public bool Silent { get; set; }

    /// <summary>Requests held while <see cref="Silent"/> so far.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Held requests the client has given up on (its bound passed) so far.</summary>
    public int Released => Volatile.Read(ref _released);

    /// <summary>While <see cref="Silent"/>, waits until the client gives up on the request (its own bound); otherwise returns at once.</summary>
    public async Task HoldIfSilentAsync(HttpContext context)
    {
        if (!Silent)
        {
            return;
        }

        Interlocked.Increment(ref _held);
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _released);
        }
    }

    /// <summary>Starts the stand-in with the routes <paramref name="map"/> adds (each checks <see cref="Authorized"/>).</summary>
    public static async Task<KubeApiStandIn> StartAsync(string token, Action<KubeApiStandIn, IEndpointRouteBuilder> map)
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new KubeApiStandIn(app, certificate, token);
        map(standIn, app);
        await app.StartAsync();
        standIn.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>Records the request and tells whether it carries <see cref="Token"/>.</summary>
    public bool Authorized(HttpContext context)
    {
        Requests.Enqueue(context.Request.Method + " " + context.Request.Path);
        if (context.Request.Headers.Authorization.ToString() == "Bearer " + Token)
        {
            return true;
        }

        Interlocked.Increment(ref _unauthorized);
        return false;
    }

    /// <summary>
    /// Starts <paramref name="call"/> against this stand-in while <see cref="Silent"/> and shows it ends at its bound on
    /// <paramref name="time"/>: still running once the request is held and the clock is one tick short of
    /// <paramref name="bound"/>, ended once it passes. Returns the ended call, for the caller to say how it ended.
    /// </summary>
    public async Task<Task> EndsAtItsBoundAsync(Func<Task> call, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan bound)
    {
        var held = Held;
        var running = call();
        await Eventually.WaitAsync(() => Held > held, "the call to reach the silent stand-in");
        time.Advance(bound - TimeSpan.FromTicks(1));
        await Task.Yield();
        if (running.IsCompleted)
        {
            throw new InvalidOperationException($"the call ended before its bound of {bound}: {running.Status}");
        }

        time.Advance(TimeSpan.FromTicks(1));
        await Eventually.WaitAsync(() => running.IsCompleted, "the call to end at its bound");
        return running;
    }

    /// <summary>A <c>Status</c> object as the API server answers a failure.</summary>
    public static IResult Status(int code, string reason, string? message = null) => Results.Text(
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Status", ["status"] = "Failure", ["reason"] = reason, ["message"] = message ?? reason, ["code"] = code }.ToJsonString(),
        "application/json",
        statusCode: code);

    /// <summary>A client that trusts only this stand-in's certificate and sends <see cref="Token"/>.</summary>
    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration
    {
        Host = Url.ToString(),
        AccessToken = Token,
        SslCaCerts = [X509CertificateLoader.LoadCertificate(Certificate.Export(X509ContentType.Cert))],
    });

    /// <summary>Writes a kubeconfig for this stand-in (its certificate as the CA, <see cref="Token"/>, namespace <see cref="Namespace"/>).</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "standin.kubeconfig");
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem()));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: standin
              cluster:
                server: {Url.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: client
              user:
                token: {Token}
            contexts:
            - name: standin
              context:
                cluster: standin
                user: client
                namespace: {Namespace}
            current-context: standin
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
