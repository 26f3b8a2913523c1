using System.Net;
using System.Text.Json.Nodes;
using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.ExternalMetrics;

/// <summary>The API in standalone mode (CA and token files), over real TLS on loopback.</summary>
public sealed class StandaloneApiTests : IAsyncLifetime
{
    private const string Data = "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/";
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _clientCa = TestCertificates.CreateCa("client-ca");
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _proxyCa = TestCertificates.CreateCa("front-proxy-ca");
    private ChainSnapshotHub _hub = null!;
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _hub = Figures.FreshHub(_time, Figures.Make(pending: 23, wait: 36.5));
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions
            {
                ClientCaFile = _dir.Write("client-ca.pem", _clientCa.ExportCertificatePem()),
                RequestHeaderClientCaFile = _dir.Write("proxy-ca.pem", _proxyCa.ExportCertificatePem()),
                TokenFile = _dir.Write("tokens.csv", "s3cret-token,token-user,42,\"g1,g2\"\n"),
            },
        };
        _api = await ApiHarness.StartAsync(_hub, options);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient ClientCertClient() => _api.Client(TestCertificates.CreateClient(_clientCa, "reader", "readers"));

    [Fact]
    public async Task Discovery_ListsEveryMetricAsTheSpecShapesIt()
    {
        using var client = ClientCertClient();

        var body = JsonNode.Parse(await client.GetStringAsync("/apis/external.metrics.k8s.io/v1beta1"))!;

        Assert.Equal("APIResourceList", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("external.metrics.k8s.io/v1beta1", (string?)body["groupVersion"]);
        var resources = body["resources"]!.AsArray();
        Assert.Equal(
            ["etrid_avg_job_duration_seconds", "etrid_avg_job_wait_seconds", "etrid_gpu_utilization_percent", "etrid_gpus", "etrid_job_queue_depth", "etrid_jobs_per_active_gpu"],
            resources.Select(r => (string)r!["name"]!));
        var first = resources[0]!;
        Assert.Equal("""{"name":"etrid_avg_job_duration_seconds","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]}""", first.ToJsonString());
    }

    [Fact]
    public async Task Group_AndGroupList_NameTheVersion()
    {
        using var client = ClientCertClient();

        var group = await client.GetStringAsync("/apis/external.metrics.k8s.io");
        var list = JsonNode.Parse(await client.GetStringAsync("/apis"))!;

        var gv = """{"groupVersion":"external.metrics.k8s.io/v1beta1","version":"v1beta1"}""";
        Assert.Equal($$"""{"kind":"APIGroup","apiVersion":"v1","name":"external.metrics.k8s.io","versions":[{{gv}}],"preferredVersion":{{gv}}}""", group);
        Assert.Equal("APIGroupList", (string?)list["kind"]);
        Assert.Equal($$"""{"name":"external.metrics.k8s.io","versions":[{{gv}}],"preferredVersion":{{gv}}}""", list["groups"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task Data_QueueDepth_IsOneItemWithTheSnapshotsTimestamp()
    {
        using var client = ClientCertClient();

        var body = JsonNode.Parse(await client.GetStringAsync(Data + "etrid_job_queue_depth?labelSelector=" + Uri.EscapeDataString("pbc=ai-compute,status=pending")))!;

        Assert.Equal("ExternalMetricValueList", (string?)body["kind"]);
        Assert.Equal("external.metrics.k8s.io/v1beta1", (string?)body["apiVersion"]);
        var item = Assert.Single(body["items"]!.AsArray())!;
        Assert.Equal("etrid_job_queue_depth", (string?)item["metricName"]);
        Assert.Equal("""{"pbc":"ai-compute","status":"pending"}""", item["metricLabels"]!.ToJsonString());
        Assert.Equal("23", (string?)item["value"]);
        var observed = _hub.Current!.ObservedAt.UtcDateTime;
        Assert.Equal(observed.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), (string?)item["timestamp"]);
    }

    [Fact]
    public async Task Data_FractionalValue_IsMilliUnits()
    {
        using var client = ClientCertClient();

        var body = JsonNode.Parse(await client.GetStringAsync(Data + "etrid_avg_job_wait_seconds"))!;

        Assert.Equal("36500m", (string?)body["items"]![0]!["value"]);
    }

    [Fact]
    public async Task Data_UpperCaseName_IsServedUnderTheLowerCaseName()
    {
        using var client = ClientCertClient();

        var body = JsonNode.Parse(await client.GetStringAsync(Data + "ETRID_JOB_QUEUE_DEPTH"))!;

        Assert.Equal("etrid_job_queue_depth", (string?)body["items"]![0]!["metricName"]);
    }

    [Fact]
    public async Task Data_SelectorMatchingNothing_IsAnEmptyList()
    {
        using var client = ClientCertClient();

        var body = JsonNode.Parse(await client.GetStringAsync(Data + "etrid_gpus?labelSelector=status%3Dnone"))!;

        Assert.Empty(body["items"]!.AsArray());
    }

    [Fact]
    public async Task Data_BadSelector_Is400Status()
    {
        using var client = ClientCertClient();

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_gpus?labelSelector=" + Uri.EscapeDataString("status in (a")), HttpStatusCode.BadRequest, "BadRequest");

        Assert.Contains("invalid label selector", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_UnknownMetric_Is404Status()
    {
        using var client = ClientCertClient();

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_foo"), HttpStatusCode.NotFound, "NotFound");

        Assert.Equal("the server could not find the metric etrid_foo for namespaces", (string?)body["message"]);
    }

    [Fact]
    public async Task Data_StaleFigures_Is503StatusWithTheReasonAndNoRetryAfter()
    {
        using var client = ClientCertClient();
        _time.Advance(TimeSpan.FromSeconds(90));

        var response = await client.GetAsync(Data + "etrid_job_queue_depth");
        var body = await StatusAssert.IsStatusAsync(response, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");

        Assert.Contains("stale", (string?)body["message"], StringComparison.Ordinal);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Data_NaNValue_Is500Status()
    {
        using var client = ClientCertClient();
        _hub.Publish(Figures.Snapshot(Figures.Make(duration: double.NaN), _time.GetUtcNow(), 101));

        await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_avg_job_duration_seconds"), HttpStatusCode.InternalServerError, "InternalError");
    }

    [Theory]
    [InlineData("/openapi/v2")]
    [InlineData("/openapi/v3")]
    [InlineData("/apis/external.metrics.k8s.io/v1beta1/etrid_job_queue_depth")]
    [InlineData("/apis/external.metrics.k8s.io/v1beta1/namespaces/default")]
    [InlineData("/metrics")]
    [InlineData("/anything")]
    public async Task OtherPaths_Are404StatusEvenWithoutCredentials(string path)
    {
        using var client = _api.Client();

        await StatusAssert.IsStatusAsync(await client.GetAsync(path), HttpStatusCode.NotFound, "NotFound");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_NeedsNoCredentials(string path)
    {
        using var client = _api.Client();

        Assert.Equal("ok", await client.GetStringAsync(path));
    }

    [Fact]
    public async Task PlainPort_ServesItsOwnEndpointsOnly()
    {
        using var client = new HttpClient { BaseAddress = _api.PlainUrl };

        Assert.Equal("plain health", await client.GetStringAsync("/healthz"));
        Assert.Equal("plain metrics", await client.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/apis/external.metrics.k8s.io/v1beta1")).StatusCode);
    }

    [Theory]
    [InlineData("/apis")]
    [InlineData("/apis/external.metrics.k8s.io")]
    [InlineData("/apis/external.metrics.k8s.io/v1beta1")]
    [InlineData("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_job_queue_depth")]
    [InlineData("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/no_such_metric")]
    public async Task NoCertificate_Is401StatusOnEveryProtectedRoute(string path)
    {
        using var client = _api.Client();

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(path), HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Null(body["items"]);
        Assert.Null(body["resources"]);
    }

    [Fact]
    public async Task CertificateFromAnotherCa_Is401Status()
    {
        using var client = _api.Client(TestCertificates.CreateClient(TestCertificates.CreateCa("rogue-ca"), "reader"));

        await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_job_queue_depth"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ForgedRemoteUser_WithoutCertificate_Is401Status()
    {
        using var client = _api.Client(headers: h => h.Add("X-Remote-User", "system:admin"));

        await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_job_queue_depth"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ForgedRemoteUser_FromRequestHeaderCaCertificateWithNameNotAllowed_Is401Status()
    {
        var notAllowed = TestCertificates.CreateClient(_proxyCa, "not-the-front-proxy");
        using var client = _api.Client(notAllowed, h => h.Add("X-Remote-User", "system:admin"));

        var body = await StatusAssert.IsStatusAsync(await client.GetAsync(Data + "etrid_job_queue_depth"), HttpStatusCode.Unauthorized, "Unauthorized");

        Assert.Contains("not allowed", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrontProxyCertificate_WithRemoteUser_GetsData()
    {
        using var client = _api.Client(TestCertificates.CreateClient(_proxyCa, "front-proxy-client"), h => h.Add("X-Remote-User", "hpa"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Data + "etrid_job_queue_depth")).StatusCode);
    }

    [Fact]
    public async Task StaticToken_GetsData_WrongToken_Is401()
    {
        using var good = _api.Client(headers: h => h.Authorization = new("Bearer", "s3cret-token"));
        using var bad = _api.Client(headers: h => h.Authorization = new("Bearer", "wrong"));

        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync(Data + "etrid_job_queue_depth")).StatusCode);
        await StatusAssert.IsStatusAsync(await bad.GetAsync(Data + "etrid_job_queue_depth"), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public void SelfSignedCertificate_CarriesTheServiceNames()
    {
        var san = _api.ServingCertificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();

        var names = san.EnumerateDnsNames().ToList();

        Assert.Contains("etrid-external-metrics.etrid-ai-compute.svc", names);
        Assert.Contains("etrid-external-metrics.etrid-ai-compute.svc.cluster.local", names);
        Assert.Contains("etrid-external-metrics", names);
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
    }
}
