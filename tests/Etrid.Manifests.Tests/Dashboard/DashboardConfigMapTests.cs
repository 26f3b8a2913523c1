using System.Text;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests.Dashboard;

/// <summary>The Grafana dashboard ConfigMap of components/monitoring is generated from grafana/etrid-ai-compute.json.</summary>
public sealed class DashboardConfigMapTests
{
    // kubectl apply keeps the whole object in the last-applied-configuration annotation, which
    // Kubernetes caps at 256 KiB for all annotations together.
    private const int LastAppliedLimit = 262_144;

    private static string Canonical => Path.Combine(RepositoryPaths.Root, "grafana", "etrid-ai-compute.json");

    private static string ComponentCopy => Path.Combine(RepositoryPaths.Manifests, "components", "monitoring", "etrid-ai-compute.json");

    public static TheoryData<string> Variants => [Variant.HpaAllComponents, Variant.KedaAllComponents];

    [Fact]
    public void The_component_copy_is_byte_identical_to_the_dashboard_in_grafana()
    {
        // kustomize's load restrictor reads no file outside the component, so it holds a copy.
        Assert.True(
            File.ReadAllBytes(Canonical).AsSpan().SequenceEqual(File.ReadAllBytes(ComponentCopy)),
            $"{ComponentCopy} differs from {Canonical}; copy it: cp grafana/etrid-ai-compute.json manifests/components/monitoring/");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_sidecar_configmap_carries_the_dashboard_unchanged(string variant)
    {
        var map = RenderedManifests.Of(variant).Get<V1ConfigMap>("etrid-grafana-dashboard");

        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        var (key, json) = Assert.Single(map.Data);
        Assert.Equal("etrid-ai-compute.json", key);
        Assert.Equal(File.ReadAllText(Canonical), json);
        Assert.True(Encoding.UTF8.GetByteCount(json) < LastAppliedLimit / 2, $"the dashboard is {json.Length} bytes; kubectl apply would not fit it in its annotation");
    }

    [Theory]
    [InlineData(Variant.Base)]
    [InlineData(Variant.Hpa)]
    [InlineData(Variant.Keda)]
    public void Without_the_monitoring_component_there_is_no_dashboard_configmap(string variant) =>
        Assert.Null(RenderedManifests.Of(variant).Find<V1ConfigMap>("etrid-grafana-dashboard"));
}
