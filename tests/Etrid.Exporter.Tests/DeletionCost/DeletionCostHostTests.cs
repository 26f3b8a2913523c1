using Etrid.Burst.Options;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Etrid.Exporter.Tests.Support;
using Etrid.Kubernetes;
using Etrid.Mithril.Options;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.DeletionCost;

/// <summary>The keeper composed into the exporter, as <c>deletion_cost.enabled: true</c> turns it on.</summary>
public sealed class DeletionCostHostTests
{
    [Fact]
    public async Task Enabled_TheExporterKeepsTheCosts_AndServesTheCloudGpuHours()
    {
        await using var kube = await DeletionCostKubeApi.StartAsync();
        kube.AddNode("local-1", new Dictionary<string, string> { ["etrid.io/gpu-pool"] = "local" });
        kube.AddNode("gke-spot-1", new Dictionary<string, string> { ["cloud.google.com/gke-spot"] = "true", ["node.kubernetes.io/instance-type"] = "g2-standard-8" }, gpus: 1);
        var worker = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "etrid-gpu-provider", ["app.kubernetes.io/component"] = "gpu-worker" };
        kube.AddPod("w-local", "local-1", worker);
        kube.AddPod("w-spot", "gke-spot-1", worker);
        var directory = Directory.CreateTempSubdirectory("etrid-keeper-");
        try
        {
            var configuration = ExporterConfiguration.FromValues(
            [
                new("chain:endpoints:0", "ws://127.0.0.1:9"),
                new("listen:metrics", "http://127.0.0.1:0"),
                new("external_metrics:enabled", "false"),
                new("keda_scaler:enabled", "false"),
                // The burst controller off: the keeper uses the shared Kubernetes client and runs its election (standalone here).
                new("kubernetes:mode", "kubeconfig"),
                new("kubernetes:kubeconfig", kube.WriteKubeconfig(directory.FullName)),
                new("mithril_auto:leader_election:enabled", "false"),
                new("deletion_cost:enabled", "true"),
            ]);
            await using var app = ExporterHost.Build(configuration, environment: name => name == "POD_NAMESPACE" ? DeletionCostKubeApi.Namespace : null);
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = ExporterHost.Addresses(app).Metrics };

            await Eventually.WaitAsync(() => kube.DeletionCost("w-spot") == "-1000" && kube.DeletionCost("w-local") == "1000", "the workers' deletion costs", 60);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("# TYPE etrid_cloud_gpu_hours_total counter", metrics, StringComparison.Ordinal);
            Assert.Contains("etrid_cloud_gpu_hours_total{cloud=\"gcp\",instance_type=\"g2-standard-8\"}", metrics, StringComparison.Ordinal);
            await app.StopAsync();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Disabled_NoKubernetesCallIsMade()
    {
        await using var kube = await DeletionCostKubeApi.StartAsync();
        var directory = Directory.CreateTempSubdirectory("etrid-keeper-");
        try
        {
            var configuration = ExporterConfiguration.FromValues(
            [
                new("chain:endpoints:0", "ws://127.0.0.1:9"),
                new("listen:metrics", "http://127.0.0.1:0"),
                new("external_metrics:enabled", "false"),
                new("keda_scaler:enabled", "false"),
                new("kubernetes:mode", "kubeconfig"),
                new("kubernetes:kubeconfig", kube.WriteKubeconfig(directory.FullName)),
            ]);
            await using var app = ExporterHost.Build(configuration);
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = ExporterHost.Addresses(app).Metrics };

            Assert.DoesNotContain("etrid_cloud_gpu_hours_total", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
            await app.StopAsync();
            Assert.Empty(kube.Requests);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
