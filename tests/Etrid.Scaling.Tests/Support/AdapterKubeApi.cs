using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Etrid.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etrid.Scaling.Tests.Support;

/// <summary>
/// What the external metrics API calls of the Kubernetes API, on the shared <see cref="KubeApiStandIn"/>: the
/// extension-apiserver-authentication ConfigMap (read and watch), TokenReview and SubjectAccessReview.
/// </summary>
internal sealed class AdapterKubeApi : IAsyncDisposable
{
    public const string ClientToken = "adapter-service-account-token";
    private readonly List<Channel<string>> _watchers = [];
    private readonly Lock _lock = new();
    private KubeApiStandIn _host = null!;
    private Dictionary<string, string> _configMap;
    private int _resourceVersion = 1;

    private AdapterKubeApi(Dictionary<string, string> configMap) => _configMap = configMap;

    public Uri Url => _host.Url;

    /// <summary>Tokens TokenReview accepts, with the user each names.</summary>
    public ConcurrentDictionary<string, (string User, string[] Groups)> Tokens { get; } = new();

    /// <summary>Users SubjectAccessReview refuses.</summary>
    public ConcurrentDictionary<string, bool> DeniedUsers { get; } = new();

    /// <summary>Every SubjectAccessReview spec received, in order.</summary>
    public ConcurrentQueue<JsonNode> AccessReviews { get; } = new();

    public int TokenReviewCount;

    public bool FailAccessReviews { get; set; }

    /// <summary>How many of the next ConfigMap reads answer 503.</summary>
    public int FailConfigMapReads;

    /// <summary>Reads and reviews never answer (a silent API server): each waits until the client gives up.</summary>
    public bool Silent
    {
        get => _host.Silent;
        set => _host.Silent = value;
    }

    /// <summary>Requests held while <see cref="Silent"/> so far.</summary>
    public int Held => _host.Held;

    /// <inheritdoc cref="KubeApiStandIn.EndsAtItsBoundAsync"/>
    public Task<Task> EndsAtItsBoundAsync(Func<Task> call, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan bound) => _host.EndsAtItsBoundAsync(call, time, bound);

    public static async Task<AdapterKubeApi> StartAsync(Dictionary<string, string> configMap)
    {
        var api = new AdapterKubeApi(configMap);
        api._host = await KubeApiStandIn.StartAsync(ClientToken, (host, routes) => api.Map(host, routes));
        return api;
    }

    /// <summary>Writes a kubeconfig pointing KubernetesClient at this stand-in with a bearer token.</summary>
    public string WriteKubeconfig(string directory) => _host.WriteKubeconfig(directory);

    /// <summary>Replaces the ConfigMap's data and tells every watcher.</summary>
    public void UpdateConfigMap(Dictionary<string, string> data)
    {
        lock (_lock)
        {
            _configMap = data;
            _resourceVersion++;
            var line = JsonSerializer.Serialize(new { type = "MODIFIED", @object = ConfigMapNode() });
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
        }

        await _host.DisposeAsync();
    }

    private JsonObject ConfigMapNode()
    {
        var data = new JsonObject();
        foreach (var (k, v) in _configMap)
        {
            data[k] = v;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "extension-apiserver-authentication", ["namespace"] = "kube-system", ["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["data"] = data,
        };
    }

    private void Map(KubeApiStandIn host, IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication", async (HttpContext context) =>
        {
            if (!host.Authorized(context))
            {
                return Results.StatusCode(401);
            }

            if (Interlocked.Decrement(ref FailConfigMapReads) >= 0)
            {
                return Results.StatusCode(503);
            }

            await host.HoldIfSilentAsync(context);

            lock (_lock)
            {
                return Results.Text(ConfigMapNode().ToJsonString(), "application/json");
            }
        });
        app.MapGet("/api/v1/namespaces/kube-system/configmaps", async (HttpContext context) =>
        {
            if (!host.Authorized(context) || context.Request.Query["watch"] != "true")
            {
                context.Response.StatusCode = 400;
                return;
            }

            var channel = Channel.CreateUnbounded<string>();
            lock (_lock)
            {
                _watchers.Add(channel);
            }

            context.Response.ContentType = "application/json";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await foreach (var line in channel.Reader.ReadAllAsync(context.RequestAborted))
                {
                    await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                lock (_lock)
                {
                    _watchers.Remove(channel);
                }
            }
        });
        app.MapPost("/apis/authentication.k8s.io/v1/tokenreviews", async (HttpContext context) =>
        {
            if (!host.Authorized(context))
            {
                return Results.StatusCode(401);
            }

            Interlocked.Increment(ref TokenReviewCount);
            await host.HoldIfSilentAsync(context);

            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var token = body["spec"]?["token"]?.GetValue<string>() ?? string.Empty;
            var status = Tokens.TryGetValue(token, out var user)
                ? new JsonObject { ["authenticated"] = true, ["user"] = new JsonObject { ["username"] = user.User, ["uid"] = "uid-" + user.User, ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)g!).ToArray()) } }
                : new JsonObject { ["authenticated"] = false };
            body["status"] = status;
            return Results.Text(body.ToJsonString(), "application/json", statusCode: 201);
        });
        app.MapPost("/apis/authorization.k8s.io/v1/subjectaccessreviews", async (HttpContext context) =>
        {
            if (!host.Authorized(context))
            {
                return Results.StatusCode(401);
            }

            if (FailAccessReviews)
            {
                return Results.StatusCode(500);
            }

            await host.HoldIfSilentAsync(context);

            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var spec = body["spec"]!;
            AccessReviews.Enqueue(spec.DeepClone());
            var user = spec["user"]?.GetValue<string>() ?? string.Empty;
            var allowed = !DeniedUsers.ContainsKey(user);
            body["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = allowed ? "RBAC: allowed by test" : "RBAC: denied by test" };
            return Results.Text(body.ToJsonString(), "application/json", statusCode: 201);
        });
    }
}
