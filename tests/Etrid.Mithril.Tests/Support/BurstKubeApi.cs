using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Etrid.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etrid.Mithril.Tests.Support;

/// <summary>
/// What the burst controller calls of the Kubernetes API, on the shared <see cref="KubeApiStandIn"/>: coordination.k8s.io/v1
/// Leases (get, create, replace with optimistic concurrency on <c>resourceVersion</c>) and one autoscaling/v2
/// HorizontalPodAutoscaler (get).
/// </summary>
internal sealed class BurstKubeApi : IAsyncDisposable
{
    public const string ClientToken = "burst-controller-service-account-token";
    public const string Namespace = KubeApiStandIn.Namespace;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private KubeApiStandIn _host = null!;
    private JsonObject? _hpa;
    private int _resourceVersion = 1;

    private BurstKubeApi()
    {
    }

    public Uri Url => _host.Url;

    /// <summary>Every request's method and path, in order.</summary>
    public ConcurrentQueue<string> Requests => _host.Requests;

    public int Unauthorized => _host.Unauthorized;

    /// <summary>Lease and HPA reads never answer (a silent API server): each waits until the client gives up.</summary>
    public bool Silent
    {
        get => _host.Silent;
        set => _host.Silent = value;
    }

    /// <summary>Requests held while <see cref="Silent"/> so far.</summary>
    public int Held => _host.Held;

    /// <summary>Held requests the client has given up on so far.</summary>
    public int Released => _host.Released;

    /// <inheritdoc cref="KubeApiStandIn.EndsAtItsBoundAsync"/>
    public Task<Task> EndsAtItsBoundAsync(Func<Task> call, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan bound) => _host.EndsAtItsBoundAsync(call, time, bound);

    public static async Task<BurstKubeApi> StartAsync()
    {
        var api = new BurstKubeApi();
        api._host = await KubeApiStandIn.StartAsync(ClientToken, (host, routes) => api.Map(host, routes));
        return api;
    }

    /// <summary>Writes a kubeconfig pointing KubernetesClient at this stand-in with a bearer token, in namespace <see cref="Namespace"/>.</summary>
    public string WriteKubeconfig(string directory) => _host.WriteKubeconfig(directory);

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

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private string Next() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Map(KubeApiStandIn host, IEndpointRouteBuilder app)
    {
        const string leases = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";
        app.MapGet(leases + "/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized", "Unauthorized");
            }

            await host.HoldIfSilentAsync(context);

            lock (_lock)
            {
                return ns == Namespace && _leases.TryGetValue(name, out var lease)
                    ? Results.Text(lease.ToJsonString(), "application/json")
                    : KubeApiStandIn.Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
            }
        });
        app.MapPost(leases, async (HttpContext context, string ns) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized", "Unauthorized");
            }

            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            var name = body["metadata"]?["name"]?.GetValue<string>() ?? "";
            lock (_lock)
            {
                if (ns != Namespace)
                {
                    return KubeApiStandIn.Status(404, "NotFound", $"namespaces \"{ns}\" not found");
                }

                if (_leases.ContainsKey(name))
                {
                    return KubeApiStandIn.Status(409, "AlreadyExists", $"leases.coordination.k8s.io \"{name}\" already exists");
                }

                body["metadata"]!["resourceVersion"] = Next();
                _leases[name] = body;
                return Results.Text(body.ToJsonString(), "application/json", statusCode: 201);
            }
        });
        app.MapPut(leases + "/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized", "Unauthorized");
            }

            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_lock)
            {
                if (ns != Namespace || !_leases.TryGetValue(name, out var stored))
                {
                    return KubeApiStandIn.Status(404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
                }

                // Optimistic concurrency, as the API server does: a replace must name the version it read.
                var version = body["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (version != stored["metadata"]!["resourceVersion"]!.GetValue<string>())
                {
                    return KubeApiStandIn.Status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
                }

                body["metadata"]!["resourceVersion"] = Next();
                _leases[name] = body;
                return Results.Text(body.ToJsonString(), "application/json");
            }
        });
        app.MapGet("/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/{name}", async (HttpContext context, string ns, string name) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized", "Unauthorized");
            }

            await host.HoldIfSilentAsync(context);

            lock (_lock)
            {
                return ns == Namespace && name == "etrid-ai-gpu-scaler" && _hpa is not null
                    ? Results.Text(_hpa.ToJsonString(), "application/json")
                    : KubeApiStandIn.Status(404, "NotFound", $"horizontalpodautoscalers.autoscaling \"{name}\" not found");
            }
        });
    }
}
