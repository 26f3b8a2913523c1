using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Mithril.Tests.Support;

/// <summary>
/// An in-process stand-in of the Kubernetes API for what the burst controller calls: coordination.k8s.io/v1
/// Leases (get, create, replace with optimistic concurrency on <c>resourceVersion</c>) and one autoscaling/v2
/// HorizontalPodAutoscaler (get). KubernetesClient reaches it over real HTTP through a kubeconfig file.
/// </summary>
internal sealed class KubeApiStandIn : IAsyncDisposable
{
    public const string ClientToken = "burst-controller-service-account-token";
    public const string Namespace = "etrid-ai-compute";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private JsonObject? _hpa;
    private int _resourceVersion = 1;

    private KubeApiStandIn(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request's method and path, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Unauthorized;

    public static async Task<KubeApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new KubeApiStandIn(app);
        standIn.Map(app);
        await app.StartAsync();
        standIn.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>Writes a kubeconfig pointing KubernetesClient at this stand-in with a bearer token, in namespace <see cref="Namespace"/>.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "standin.kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: standin
              cluster:
                server: {Url.ToString().TrimEnd('/')}
            users:
            - name: burst
              user:
                token: {ClientToken}
            contexts:
            - name: standin
              context:
                cluster: standin
                user: burst
                namespace: {Namespace}
            current-context: standin
            """);
        return path;
    }

    /// <summary>The holder of a Lease, or null when there is none.</summary>
    public string? LeaseHolder(string name)
    {
        lock (_lock)
        {
            return _leases.TryGetValue(name, out var lease) ? lease["spec"]?["holderIdentity"]?.GetValue<string>() : null;
        }
    }

    /// <summary>Sets the HPA <c>etrid-ai-gpu-scaler</c>'s spec and status.</summary>
    public void SetHpa(int currentReplicas, int maxReplicas, (string Type, string Status, string Reason)[]? conditions = null)
    {
        var list = new JsonArray();
        foreach (var (type, status, reason) in conditions ?? [])
        {
            list.Add(new JsonObject { ["type"] = type, ["status"] = status, ["reason"] = reason, ["lastTransitionTime"] = "2026-03-01T00:00:00Z" });
        }

        lock (_lock)
        {
            _hpa = new JsonObject
            {
                ["apiVersion"] = "autoscaling/v2",
                ["kind"] = "HorizontalPodAutoscaler",
                ["metadata"] = new JsonObject { ["name"] = "etrid-ai-gpu-scaler", ["namespace"] = Namespace, ["resourceVersion"] = Next() },
                ["spec"] = new JsonObject
                {
                    ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "etrid-ai-gpu-worker" },
                    ["minReplicas"] = 1,
                    ["maxReplicas"] = maxReplicas,
                },
                ["status"] = new JsonObject { ["currentReplicas"] = currentReplicas, ["desiredReplicas"] = currentReplicas, ["conditions"] = list },
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string Next() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static IResult Status(int code, string reason, string message) => Results.Text(
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Status", ["status"] = "Failure", ["reason"] = reason, ["message"] = message, ["code"] = code }.ToJsonString(),
        "application/json",
        statusCode: code);

    private bool Authorized(HttpContext context)
    {
        Requests.Enqueue(context.Request.Method + " " + context.Request.Path);
        if (context.Request.Headers.Authorization.ToString() == "Bearer " + ClientToken)
        {
            return true;
        }

        Interlocked.Increment(ref Unauthorized);
        return false;
    }

    private void Map(WebApplication app)
    {
        const string leases = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
        app.MapGet(leases + "/{name}", (HttpContext context, string ns, string name) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized", "Unauthorized");
            }

            lock (_lock)
            {
                return ns == Namespace && _leases.TryGetValue(name, out var lease)
                    ? Results.Text(lease.ToJsonString(), "application/json")
                    : Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
            }
        });
        app.MapPost(leases, async (HttpContext context, string ns) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized", "Unauthorized");
            }

            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            var name = body["metadata"]?["name"]?.GetValue<string>() ?? "";
            lock (_lock)
            {
                if (ns != Namespace)
                {
                    return Status(404, "NotFound", $"namespaces \"{ns}\" not found");
                }

                if (_leases.ContainsKey(name))
                {
                    return Status(409, "AlreadyExists", $"leases.coordination.k8s.io \"{name}\" already exists");
                }

                body["metadata"]!["resourceVersion"] = Next();
                _leases[name] = body;
                return Results.Text(body.ToJsonString(), "application/json", statusCode: 201);
            }
        });
        app.MapPut(leases + "/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized", "Unauthorized");
            }

            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_lock)
            {
                if (ns != Namespace || !_leases.TryGetValue(name, out var stored))
                {
                    return Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
                }

                // Optimistic concurrency, as the API server does: a replace must name the version it read.
                var version = body["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (version != stored["metadata"]!["resourceVersion"]!.GetValue<string>())
                {
                    return Status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
                }

                body["metadata"]!["resourceVersion"] = Next();
                _leases[name] = body;
                return Results.Text(body.ToJsonString(), "application/json");
            }
        });
        app.MapGet("/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/{name}", (HttpContext context, string ns, string name) =>
        {
            if (!Authorized(context))
            {
                return Status(401, "Unauthorized", "Unauthorized");
            }

            lock (_lock)
            {
                return ns == Namespace && name == "etrid-ai-gpu-scaler" && _hpa is not null
                    ? Results.Text(_hpa.ToJsonString(), "application/json")
                    : Status(404, "NotFound", $"horizontalpodautoscalers.autoscaling \"{name}\" not found");
            }
        });
    }
}
