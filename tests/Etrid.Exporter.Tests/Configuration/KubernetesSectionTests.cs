using Etrid.Burst.Capacity;
using Etrid.Burst.Leadership;
using Etrid.Exporter.DeletionCost;
using Etrid.Exporter.Hosting;
using Etrid.Exporter.Tests.Support;
using Etrid.Kubernetes;
using Etrid.Scaling.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Tests.Configuration;

/// <summary>
/// The top-level <c>kubernetes</c> section: one mode setting and one client for every part, checked as check-config and
/// serve check it, and the per-part keys it replaced refused with a line naming the new key.
/// </summary>
public sealed class KubernetesSectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-kube-section-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private IReadOnlyList<string> Problems(string yaml, Dictionary<string, string>? env = null)
    {
        var (checkedConfiguration, problems) = ExporterHost.Check(Write("config.yaml", yaml), env ?? []);
        checkedConfiguration?.Dispose();
        return problems;
    }

    [Theory]
    [InlineData("mithril_auto:\n  kubernetes:\n    mode: none\n", "mithril_auto.kubernetes.mode: moved to the top-level kubernetes.mode (one client for every part)")]
    [InlineData("mithril_auto:\n  kubernetes:\n    kubeconfig: /etc/kubeconfig\n", "mithril_auto.kubernetes.kubeconfig: moved to the top-level kubernetes.kubeconfig (one client for every part)")]
    [InlineData("external_metrics:\n  kubernetes:\n    mode: in_cluster\n", "external_metrics.kubernetes.mode: moved to the top-level kubernetes.mode (one client for every part)")]
    [InlineData("external_metrics:\n  kubernetes:\n    kubeconfig: /etc/kubeconfig\n", "external_metrics.kubernetes.kubeconfig: moved to the top-level kubernetes.kubeconfig (one client for every part)")]
    [InlineData("external_metrics:\n  kubernetes:\n    request_timeout: 5s\n", "external_metrics.kubernetes.request_timeout: moved to external_metrics.review_timeout (each part bounds its own calls to the one client)")]
    public void AnOldPerPartKey_IsRefused_WithOneLineNamingTheNewKey(string yaml, string expected)
    {
        Assert.Equal([expected], Problems(yaml));
    }

    [Fact]
    public void AnOldPerPartKey_FromTheEnvironment_IsRefusedTheSameWay()
    {
        var problems = Problems("pbc: ai-compute\n", new() { ["ETRID_MITHRIL_AUTO__KUBERNETES__MODE"] = "none" });

        Assert.Equal(["mithril_auto.kubernetes.mode: moved to the top-level kubernetes.mode (one client for every part)"], problems);
    }

    [Fact]
    public void TheSection_IsValidatedOnStart_EveryProblemNamedByItsKey()
    {
        Assert.Equal(["kubernetes.mode: must be auto, in_cluster, kubeconfig or none (cluster)"], Problems("kubernetes:\n  mode: cluster\n"));
        Assert.Equal(["kubernetes.kubeconfig: required with mode kubeconfig (none)"], Problems("kubernetes:\n  mode: kubeconfig\n"));
        Assert.Equal(["kubernetes.kubeconfig: file not found (/nonexistent/kubeconfig)"], Problems("kubernetes:\n  mode: kubeconfig\n  kubeconfig: /nonexistent/kubeconfig\n"));
    }

    [Fact]
    public async Task EveryPart_UsesTheOneClient_ThatTheSectionDescribes()
    {
        await using var kube = await DeletionCostKubeApi.StartAsync();
        var kubeconfig = kube.WriteKubeconfig(_dir);
        var yaml = $"""
            listen:
              metrics: http://127.0.0.1:0
            kubernetes:
              mode: kubeconfig
              kubeconfig: {kubeconfig}
            external_metrics:
              listen: https://127.0.0.1:0
            keda_scaler:
              enabled: false
            deletion_cost:
              enabled: true
            mithril_auto:
              enabled: true
              dry_run: true
              project_id: proj_01
              region: us-central1-a
              api_token: key
              pool_details:
                - pool_name: a100
                  instance_type: it_0123456789abcdef
                  limit_price_per_gpu_hour: 2.00
            """;
        var (checkedConfiguration, problems) = ExporterHost.Check(Write("config.yaml", yaml), new Dictionary<string, string>());
        Assert.Empty(problems);
        // Async: resolving every hosted service made the chain client, which only disposes asynchronously.
        await using var services = checkedConfiguration!.Services;

        // One mode setting (the section's), one client: resolved once, and every part resolved after the kubeconfig is
        // gone, so a part that made a client of its own from the file would fail here.
        Assert.Equal("kubeconfig", services.GetRequiredService<IOptions<KubernetesAccessOptions>>().Value.Mode);
        var shared = services.GetRequiredService<KubernetesAccess>();
        File.Delete(kubeconfig);

        Assert.Equal(DeletionCostKubeApi.Namespace, shared.Namespace);
        Assert.True(services.GetRequiredService<AccessReviewer>().IsDelegated);
        Assert.IsType<LeaseLeadership>(services.GetRequiredService<IBurstLeadership>());
        Assert.IsType<HpaLocalCapacity>(services.GetRequiredService<ILocalCapacitySource>());
        Assert.Single(services.GetServices<IHostedService>().OfType<DeletionCostKeeper>());
        Assert.Same(shared, services.GetRequiredService<KubernetesAccess>());
        Assert.Single(services.GetServices<KubernetesAccess>());
    }
}
