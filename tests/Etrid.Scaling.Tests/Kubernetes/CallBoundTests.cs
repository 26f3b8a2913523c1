using Etrid.Kubernetes;
using Etrid.Scaling.Authentication;
using Etrid.Scaling.Authorization;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Kubernetes;

/// <summary>
/// The shared client has no short timeout of its own, so each call of the external metrics API carries its own bound
/// (<c>external_metrics.review_timeout</c>): against a stand-in that never answers, each call ends once the virtual
/// clock passes the bound, and not before.
/// </summary>
public sealed class CallBoundTests : IAsyncLifetime
{
    private const int ClusterAuthFailed = 410;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(7);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private AdapterKubeApi _kube = null!;
    private KubernetesAccess _api = null!;

    public async Task InitializeAsync()
    {
        _kube = await AdapterKubeApi.StartAsync([]);
        _kube.Silent = true;
        _api = KubernetesAccess.Create(new KubernetesAccessOptions { Mode = "kubeconfig", Kubeconfig = _kube.WriteKubeconfig(_dir.Path) }, _ => null);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _kube.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task TokenReview_ApiSilent_EndsWithATimeoutOnceTheBoundPasses()
    {
        var reviewer = new TokenReviewer(_api, TimeSpan.FromSeconds(10), Bound, _time);

        var review = await _kube.EndsAtItsBoundAsync(() => reviewer.ReviewAsync("some-token", CancellationToken.None), _time, Bound);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => review);
        Assert.Contains("TokenReview", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubjectAccessReview_ApiSilent_DeniesOnceTheBoundPasses()
    {
        var reviewer = new AccessReviewer(_api, TimeSpan.FromSeconds(10), Bound, _time);
        string? failure = null;
        reviewer.ReviewFailed += (_, message) => failure = message;
        var user = new KubernetesUser("system:serviceaccount:kube-system:horizontal-pod-autoscaler", null, [], new Dictionary<string, IReadOnlyList<string>>());

        var review = await _kube.EndsAtItsBoundAsync(() => reviewer.ReviewAsync(user, AccessAttributes.ForMetric("etrid_job_queue_depth", "etrid-ai-compute"), CancellationToken.None), _time, Bound);

        var decision = await (Task<AccessDecision>)review;
        Assert.False(decision.Allowed);
        Assert.Contains("SubjectAccessReview had no answer", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigMapRead_ApiSilent_IsRetriedOnceTheBoundPasses()
    {
        var store = new AuthenticationConfigStore(AuthenticationConfig.Empty, clusterRequired: true);
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var watcher = new AuthenticationConfigMapWatcher(_api, new ExternalMetricsOptions { ReviewTimeout = Bound }, store, _time, factory.CreateLogger<AuthenticationConfigMapWatcher>());

        await watcher.StartAsync(default);
        try
        {
            await Eventually.WaitAsync(() => _kube.Held == 1, "the ConfigMap read to reach the stand-in");
            Assert.DoesNotContain(logs.Entries, e => e.EventId == ClusterAuthFailed);
            _time.Advance(Bound);

            // The read ended at its bound; the watcher logs it and backs off before reading again.
            await Eventually.WaitAsync(() => logs.Entries.Any(e => e.EventId == ClusterAuthFailed), "the bounded read to be logged as a failure");
            Assert.Contains("had no answer within 7 s", logs.Entries.First(e => e.EventId == ClusterAuthFailed).Message, StringComparison.Ordinal);
        }
        finally
        {
            await watcher.StopAsync(default);
        }
    }
}
