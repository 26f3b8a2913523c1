using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// An in-process HTTPS stand-in of the Kubernetes API for what the deletion-cost keeper calls: nodes (list) and
/// pods in one namespace (list by label selector, merge-patch). KubernetesClient reaches it over real TLS with
/// a bearer token; every request is recorded.
/// </summary>
internal sealed class KubeApiStandIn : IAsyncDisposable
{
    public const string Token = "exporter-service-account-token";
    public const string Namespace = "etrid-ai-compute";
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _pods = [];

    private KubeApiStandIn(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request as <c>METHOD path</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<KubeApiStandIn> StartAsync()
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new KubeApiStandIn(app, certificate);
        standIn.Map(app);
        await app.StartAsync();
        standIn.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>A client that trusts only this stand-in's certificate and sends <see cref="Token"/>.</summary>
    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration
    {
        Host = Url.ToString(),
        AccessToken = Token,
        SslCaCerts = [X509CertificateLoader.LoadCertificate(_certificate.Export(X509ContentType.Cert))],
    });

    /// <summary>Writes a kubeconfig for this stand-in (its certificate as the CA, <see cref="Token"/>, namespace <see cref="Namespace"/>).</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "standin.kubeconfig");
        var ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(_certificate.ExportCertificatePem()));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: standin
              cluster:
                server: {Url.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: exporter
              user:
                token: {Token}
            contexts:
            - name: standin
              context:
                cluster: standin
                user: exporter
                namespace: {Namespace}
            current-context: standin
            """);
        return path;
    }

    public void AddNode(string name, IReadOnlyDictionary<string, string> labels, int gpus = 8, string? providerId = null)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = Labels(labels) },
            ["spec"] = providerId is null ? new JsonObject() : new JsonObject { ["providerID"] = providerId },
            ["status"] = new JsonObject { ["capacity"] = new JsonObject { ["cpu"] = "32", ["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };
        lock (_lock)
        {
            _nodes[name] = node;
        }
    }

    public void AddPod(string name, string? nodeName, IReadOnlyDictionary<string, string> labels, string? deletionCost = null, string ns = Namespace)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = Labels(labels) };
        if (deletionCost is not null)
        {
            metadata["annotations"] = new JsonObject { ["controller.kubernetes.io/pod-deletion-cost"] = deletionCost };
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = nodeName is null ? new JsonObject { ["containers"] = new JsonArray() } : new JsonObject { ["nodeName"] = nodeName, ["containers"] = new JsonArray() },
        };
        lock (_lock)
        {
            _pods[(ns, name)] = pod;
        }
    }

    /// <summary>A pod's deletion-cost annotation, or null.</summary>
    public string? DeletionCost(string name, string ns = Namespace)
    {
        lock (_lock)
        {
            return _pods[(ns, name)]["metadata"]?["annotations"]?["controller.kubernetes.io/pod-deletion-cost"]?.GetValue<string>();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
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
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private static IResult Status(int code, string reason) => Results.Text(
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Status", ["status"] = "Failure", ["reason"] = reason, ["code"] = code }.ToJsonString(), "application/json", statusCode: code);

    private bool Authorized(HttpContext context)
    {
        Requests.Enqueue(context.Request.Method + " " + context.Request.Path);
        return context.Request.Headers.Authorization.ToString() == "Bearer " + Token;
    }

    // Equality selectors (a=b,c=d), as the keeper sends them.
    private static bool Matches(JsonObject pod, string? selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            return pod["metadata"]?["labels"]?[parts[0]]?.GetValue<string>() == (parts.Length == 2 ? parts[1] : null) || (parts.Length == 1 && pod["metadata"]?["labels"]?[parts[0]] is not null);
        });

    private void Map(WebApplication app)
    {
        app.MapGet("/api/v1/nodes", (HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized");
            }

            lock (_lock)
            {
                var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "NodeList", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. _nodes.Values.Select(n => n.DeepClone())]) };
                return Results.Text(list.ToJsonString(), "application/json");
            }
        });
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context, string ns) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized");
            }

            var selector = context.Request.Query["labelSelector"].ToString();
            lock (_lock)
            {
                var items = _pods.Where(p => p.Key.Namespace == ns && Matches(p.Value, selector)).Select(p => p.Value.DeepClone());
                var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PodList", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. items]) };
                return Results.Text(list.ToJsonString(), "application/json");
            }
        });
        app.MapPatch("/api/v1/namespaces/{ns}/pods/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized");
            }

            if (context.Request.ContentType?.StartsWith("application/merge-patch+json", StringComparison.Ordinal) != true)
            {
                return Status(415, "UnsupportedMediaType");
            }

            var patch = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_lock)
            {
                if (!_pods.TryGetValue((ns, name), out var pod))
                {
                    return Status(404, "NotFound");
                }

                var metadata = pod["metadata"]!.AsObject();
                if (metadata["annotations"] is not JsonObject annotations)
                {
                    metadata["annotations"] = annotations = [];
                }

                foreach (var (key, value) in patch["metadata"]?["annotations"]?.AsObject() ?? [])
                {
                    annotations[key] = value?.DeepClone();
                }
                return Results.Text(pod.ToJsonString(), "application/json");
            }
        });
    }
}
