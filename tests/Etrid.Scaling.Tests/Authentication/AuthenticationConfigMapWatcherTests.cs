using Etrid.Kubernetes;
using Etrid.Scaling.Authentication;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Authentication;

/// <summary>The auth ConfigMap watcher against the Kubernetes API stand-in over real HTTPS, on virtual time.</summary>
public sealed class AuthenticationConfigMapWatcherTests
{
    private const int ClusterAuthFailed = 410;

    [Fact]
    public async Task UnreadableConfigMap_BacksOffDoublingFromOneSecond_ThenInstallsIt()
    {
        var proxyCa = TestCertificates.CreateCa("front-proxy-ca");
        await using var kube = await AdapterKubeApi.StartAsync(new() { ["requestheader-client-ca-file"] = proxyCa.ExportCertificatePem() });
        kube.FailConfigMapReads = 3;
        using var dir = new TempDirectory();
        using var api = KubernetesAccess.Create(new KubernetesAccessOptions { Mode = "kubeconfig", Kubeconfig = kube.WriteKubeconfig(dir.Path) }, Environment.GetEnvironmentVariable);
        var store = new AuthenticationConfigStore(AuthenticationConfig.Empty, clusterRequired: true);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var watcher = new AuthenticationConfigMapWatcher(api, new ExternalMetricsOptions(), store, time, factory.CreateLogger<AuthenticationConfigMapWatcher>());

        await watcher.StartAsync(default);
        try
        {
            // Each 503 is logged with the wait before the next read: 1 s, then 2 s, then 4 s.
            string[] waits = ["00:00:01", "00:00:02", "00:00:04"];
            for (var i = 0; i < waits.Length; i++)
            {
                var failures = i + 1;
                await Eventually.WaitAsync(() => logs.Entries.Count(e => e.EventId == ClusterAuthFailed) == failures, $"failure {failures} to be logged");
                Assert.False(store.IsReady);
                Assert.Contains($"retrying in {waits[i]}", logs.Entries.Where(e => e.EventId == ClusterAuthFailed).Last().Message, StringComparison.Ordinal);
                time.Advance(TimeSpan.Parse(waits[i], System.Globalization.CultureInfo.InvariantCulture));
            }

            await Eventually.WaitAsync(() => store.IsReady, "the ConfigMap to be installed after the failures");
            Assert.Equal(proxyCa.Thumbprint, Assert.Single(store.Current.RequestHeaderCa).Thumbprint);
        }
        finally
        {
            await watcher.StopAsync(default);
        }
    }
}
