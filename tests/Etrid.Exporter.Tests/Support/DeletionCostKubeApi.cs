using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Etrid.Tests.Shared;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// What the deletion-cost keeper calls of the Kubernetes API, on the shared <see cref="KubeApiStandIn"/>: nodes (list)
/// and pods in one namespace (list by label selector, merge-patch); every request is recorded.
/// </summary>
internal sealed class DeletionCostKubeApi : IAsyncDisposable
{
    public const string Token = "exporter-service-account-token";
    public const string Namespace = KubeApiStandIn.Namespace;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _pods = [];
    private KubeApiStandIn _host = null!;

    private DeletionCostKubeApi()
    {
    }

    public Uri Url => _host.Url;

    /// <summary>Every request as <c>METHOD path</c>, in order.</summary>
    public ConcurrentQueue<string> Requests => _host.Requests;

    /// <summary>The node list never answers (a silent API server): it waits until the client gives up.</summary>
    public bool Silent
    {
        get => _host.Silent;
        set => _host.Silent = value;
    }

    /// <inheritdoc cref="KubeApiStandIn.EndsAtItsBoundAsync"/>
    public Task<Task> EndsAtItsBoundAsync(Func<Task> call, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan bound) => _host.EndsAtItsBoundAsync(call, time, bound);

    public static async Task<DeletionCostKubeApi> StartAsync()
    {
        var api = new DeletionCostKubeApi();
        api._host = await KubeApiStandIn.StartAsync(Token, (host, routes) => api.Map(host, routes));
        return api;
    }

    /// <summary>A client that trusts only this stand-in's certificate and sends <see cref="Token"/>.</summary>
    public IKubernetes Client() => _host.Client();

    /// <summary>Writes a kubeconfig for this stand-in (its certificate as the CA, <see cref="Token"/>, namespace <see cref="Namespace"/>).</summary>
    public string WriteKubeconfig(string directory) => _host.WriteKubeconfig(directory);

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

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
    }

    // Equality selectors (a=b,c=d), as the keeper sends them.
    private static bool Matches(JsonObject pod, string? selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            return pod["metadata"]?["labels"]?[parts[0]]?.GetValue<string>() == (parts.Length == 2 ? parts[1] : null) || (parts.Length == 1 && pod["metadata"]?["labels"]?[parts[0]] is not null);
        });

    private void Map(KubeApiStandIn host, IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/nodes", async (HttpContext context) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized");
            }

            await host.HoldIfSilentAsync(context);

            lock (_lock)
            {
                var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "NodeList", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. _nodes.Values.Select(n => n.DeepClone())]) };
                return Results.Text(list.ToJsonString(), "application/json");
            }
        });
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context, string ns) =>
        {
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized");
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
            if (!host.Authorized(context))
            {
                return KubeApiStandIn.Status(401, "Unauthorized");
            }

            if (context.Request.ContentType?.StartsWith("application/merge-patch+json", StringComparison.Ordinal) != true)
            {
                return KubeApiStandIn.Status(415, "UnsupportedMediaType");
            }

            var patch = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_lock)
            {
                if (!_pods.TryGetValue((ns, name), out var pod))
                {
                    return KubeApiStandIn.Status(404, "NotFound");
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
