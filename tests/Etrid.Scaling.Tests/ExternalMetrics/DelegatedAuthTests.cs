using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Etrid.Kubernetes;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.ExternalMetrics;

/// <summary>
/// The API as an aggregated API server: the auth ConfigMap, TokenReview and SubjectAccessReview come
/// from an in-process HTTPS stand-in of the Kubernetes API that KubernetesClient reaches over HTTP.
/// </summary>
public sealed class DelegatedAuthTests : IAsyncLifetime
{
    private const string Data = "/apis/external.metrics.k8s.io/v1beta1/namespaces/etrid-ai-compute/etrid_job_queue_depth";
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly X509Certificate2 _clientCa = TestCertificates.CreateCa("cluster-client-ca");
    private readonly X509Certificate2 _proxyCa = TestCertificates.CreateCa("front-proxy-ca");
    private AdapterKubeApi _kube = null!;
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _kube = await AdapterKubeApi.StartAsync(ConfigMap(_proxyCa));
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
        };
        var kubernetes = new KubernetesAccessOptions { Mode = "kubeconfig", Kubeconfig = _kube.WriteKubeconfig(_dir.Path) };
        _api = await ApiHarness.StartAsync(Figures.FreshHub(_time, Figures.Make(pending: 57)), options, kubernetes: kubernetes);
        using var probe = _api.Client();
        await Eventually.WaitAsync(async () => (await probe.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the auth ConfigMap to be read");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _kube.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string> ConfigMap(X509Certificate2 proxyCa) => new()
    {
        ["client-ca-file"] = _clientCa.ExportCertificatePem(),
        ["requestheader-client-ca-file"] = proxyCa.ExportCertificatePem(),
        ["requestheader-allowed-names"] = """["front-proxy-client"]""",
        ["requestheader-username-headers"] = """["X-Remote-User"]""",
        ["requestheader-group-headers"] = """["X-Remote-Group"]""",
        ["requestheader-extra-headers-prefix"] = """["X-Remote-Extra-"]""",
        ["requestheader-uid-headers"] = """["X-Remote-Uid"]""",
    };

    private HttpClient FrontProxy(string user, X509Certificate2? ca = null, params string[] groups) =>
        _api.Client(TestCertificates.CreateClient(ca ?? _proxyCa, "front-proxy-client"), h =>
        {
            h.Add("X-Remote-User", user);
            foreach (var g in groups)
            {
                h.Add("X-Remote-Group", g);
            }
        });

    [Fact]
    public async Task FrontProxy_GetsDataAndTheReviewCarriesTheHeadersIdentity()
    {
        var (status, body) = await RawHttps.GetAsync(_api.ApiUrl, _api.ServingCertificate, TestCertificates.CreateClient(_proxyCa, "front-proxy-client"), Data,
        [
            ("X-Remote-User", "system:serviceaccount:kube-system:horizontal-pod-autoscaler"),
            ("X-Remote-Group", "system:serviceaccounts"),
            ("X-Remote-Group", "system:authenticated"),
            ("X-Remote-Uid", "hpa-uid"),
            ("X-Remote-Extra-Authentication.kubernetes.io%2fpod-name", "kcm-0"),
        ]);

        Assert.Equal(200, status);
        Assert.Equal("57", (string?)JsonNode.Parse(body)!["items"]![0]!["value"]);
        var spec = Assert.Single(_kube.AccessReviews);
        Assert.Equal("system:serviceaccount:kube-system:horizontal-pod-autoscaler", (string?)spec["user"]);
        Assert.Equal("hpa-uid", (string?)spec["uid"]);
        Assert.Equal(["system:serviceaccounts", "system:authenticated"], spec["groups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal("""{"authentication.kubernetes.io/pod-name":["kcm-0"]}""", spec["extra"]!.ToJsonString());
        var attributes = spec["resourceAttributes"]!;
        Assert.Equal("list", (string?)attributes["verb"]);
        Assert.Equal("external.metrics.k8s.io", (string?)attributes["group"]);
        Assert.Equal("v1beta1", (string?)attributes["version"]);
        Assert.Equal("etrid_job_queue_depth", (string?)attributes["resource"]);
        Assert.Equal("etrid-ai-compute", (string?)attributes["namespace"]);
    }

    [Fact]
    public async Task Discovery_IsReviewedAsANonResourcePath()
    {
        using var client = FrontProxy("someone");

        await client.GetStringAsync("/apis/external.metrics.k8s.io/v1beta1");

        var spec = Assert.Single(_kube.AccessReviews);
        Assert.Equal("""{"path":"/apis/external.metrics.k8s.io/v1beta1","verb":"get"}""", spec["nonResourceAttributes"]!.ToJsonString());
        Assert.Null(spec["resourceAttributes"]);
    }

    [Fact]
    public async Task ClientCaCertificate_IsIdentifiedByCommonNameAndOrganisation_NotByHeaders()
    {
        using var client = _api.Client(TestCertificates.CreateClient(_clientCa, "jane", "ops", "dev"), h => h.Add("X-Remote-User", "system:admin"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Data)).StatusCode);

        var spec = Assert.Single(_kube.AccessReviews);
        Assert.Equal("jane", (string?)spec["user"]);
        Assert.Equal(["ops", "dev"], spec["groups"]!.AsArray().Select(g => (string)g!).Order().Reverse());
    }

    [Fact]
    public async Task SubjectAccessReviewSaysNo_Is403StatusWithoutData()
    {
        _kube.DeniedUsers["mallory"] = true;
        using var client = FrontProxy("mallory");

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(Data), HttpStatusCode.Forbidden, "Forbidden");

        Assert.Contains("mallory", (string?)body["message"], StringComparison.Ordinal);
        Assert.Null(body["items"]);
    }

    [Fact]
    public async Task SubjectAccessReviewUnavailable_Is403StatusWithoutData()
    {
        _kube.FailAccessReviews = true;
        using var client = FrontProxy("hpa");

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(Data), HttpStatusCode.Forbidden, "Forbidden");

        Assert.Contains("authorization unavailable", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_AreCachedBriefly()
    {
        using var client = FrontProxy("hpa");

        await client.GetStringAsync(Data);
        await client.GetStringAsync(Data);

        Assert.Single(_kube.AccessReviews);
    }

    [Fact]
    public async Task SystemMasters_SkipTheReview()
    {
        using var client = FrontProxy("system:kube-aggregator", null, "system:masters");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1")).StatusCode);
        Assert.Empty(_kube.AccessReviews);
    }

    [Fact]
    public async Task BearerToken_IsCheckedWithTokenReviewOnceThenCached()
    {
        _kube.Tokens["sa-token"] = ("system:serviceaccount:apps:reader", ["system:serviceaccounts"]);
        using var client = _api.Client(headers: h => h.Authorization = new("Bearer", "sa-token"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Data)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Data)).StatusCode);

        Assert.Equal(1, _kube.TokenReviewCount);
        Assert.Equal("system:serviceaccount:apps:reader", (string?)_kube.AccessReviews.Single()["user"]);
    }

    [Fact]
    public async Task UnknownBearerToken_Is401Status()
    {
        using var client = _api.Client(headers: h => h.Authorization = new("Bearer", "nope"));

        await StatusAssert.IsStatusAsync(await client.GetAsync(Data), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task RotatedRequestHeaderCa_IsPickedUpFromTheWatch()
    {
        var newCa = TestCertificates.CreateCa("front-proxy-ca-2");
        using var oldProxy = FrontProxy("hpa");
        using var newProxy = FrontProxy("hpa", newCa);
        Assert.Equal(HttpStatusCode.Unauthorized, (await newProxy.GetAsync(Data)).StatusCode);

        _kube.UpdateConfigMap(ConfigMap(newCa));

        await Eventually.WaitAsync(async () => (await newProxy.GetAsync(Data)).StatusCode == HttpStatusCode.OK, "the rotated CA to be trusted");
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldProxy.GetAsync(Data)).StatusCode);
    }

    [Fact]
    public async Task ForgedRemoteUser_FromAClientCaCertificate_IsIgnored()
    {
        _kube.DeniedUsers["eve"] = true;
        using var client = _api.Client(TestCertificates.CreateClient(_clientCa, "eve"), h => h.Add("X-Remote-User", "system:serviceaccount:kube-system:horizontal-pod-autoscaler"));

        await StatusAssert.IsStatusAsync(await client.GetAsync(Data), HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task BearerTokenOnAnotherPort_NeverReachesTokenReview()
    {
        using var plain = new HttpClient { BaseAddress = _api.PlainUrl };
        plain.DefaultRequestHeaders.Authorization = new("Bearer", "sa-token");

        Assert.Equal("plain metrics", await plain.GetStringAsync("/metrics"));
        Assert.Equal(0, _kube.TokenReviewCount);
    }
}
