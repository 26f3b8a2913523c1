using Etrid.Burst.Capacity;
using Etrid.Burst.Kubernetes;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using Etrid.Kubernetes;

namespace Etrid.Mithril.Tests.Kubernetes;

/// <summary>The shared Kubernetes client in the controller's hands: standalone or connected, and what it makes of each.</summary>
public class BurstKubernetesTests
{
    private static readonly Dictionary<string, string> OutsideAPod = new() { ["POD_NAMESPACE"] = "etrid-ai-compute" };

    [Theory]
    [InlineData("auto")]
    [InlineData("none")]
    public async Task OutsideAPod_AutoAndNone_AreStandalone_AndLeadAloneOnConfiguredCapacity(string mode)
    {
        using var kube = KubernetesAccess.Create(new KubernetesAccessOptions { Mode = mode }, OutsideAPod.GetValueOrDefault);

        Assert.True(kube.IsStandalone);
        Assert.Null(kube.Client);
        Assert.Equal("etrid-ai-compute", kube.Namespace);
        Assert.IsType<StandaloneLeadership>(kube.CreateLeadership(new BurstLeaderElectionOptions(), "pod-1", TimeProvider.System, null));
        var capacity = Assert.IsType<ConfiguredLocalCapacity>(kube.CreateLocalCapacity(new BurstHpaOptions(), 48, TimeProvider.System));
        Assert.Equal(48, (await capacity.ReadAsync(CancellationToken.None)).Gpus);
    }

    [Fact]
    public void WithAKubeconfig_IsNotStandalone()
    {
        var dir = Directory.CreateTempSubdirectory("burst-kubeconfig-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            File.WriteAllText(path, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: { server: "https://127.0.0.1:1" }
                users:
                - name: u
                  user: { token: t }
                contexts:
                - name: x
                  context: { cluster: c, user: u, namespace: burst }
                current-context: x
                """);

            using var kube = KubernetesAccess.Create(new KubernetesAccessOptions { Mode = "kubeconfig", Kubeconfig = path }, _ => null);

            Assert.False(kube.IsStandalone);
            Assert.NotNull(kube.Client);
            Assert.Equal("burst", kube.Namespace);
            Assert.IsType<LeaseLeadership>(kube.CreateLeadership(new BurstLeaderElectionOptions(), "pod-1", TimeProvider.System, null));
            Assert.IsType<StandaloneLeadership>(kube.CreateLeadership(new BurstLeaderElectionOptions { Enabled = false }, "pod-1", TimeProvider.System, null));
            Assert.IsType<HpaLocalCapacity>(kube.CreateLocalCapacity(new BurstHpaOptions(), 48, TimeProvider.System));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
