using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>components/cloud-spot: workers on GKE, AKS and Karpenter/EKS spot nodes land well and leave first.</summary>
public sealed class CloudSpotTests
{
    public static TheoryData<string> Variants => [Variant.HpaAllComponents, Variant.KedaAllComponents];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Workers_prefer_local_gpu_nodes_and_still_require_gpu_nodes(string variant)
    {
        var spec = Worker(variant);

        var preferred = Assert.Single(spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal(100, preferred.Weight);
        var term = Assert.Single(preferred.Preference.MatchExpressions);
        Assert.Equal(("etrid.io/gpu-pool", "In"), (term.Key, term.OperatorProperty));
        Assert.Equal(["local"], term.Values);
        // The base's GPU requirement stands: a cloud node must be a GPU node too.
        var required = Assert.Single(spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Contains(required.MatchExpressions, e => e.Key == "accelerator");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Workers_tolerate_the_spot_taints_of_gke_aks_and_karpenter(string variant)
    {
        var tolerations = Worker(variant).Tolerations.Select(t => (t.Key, t.OperatorProperty, t.Value, t.Effect)).ToList();

        Assert.Contains(("cloud.google.com/gke-spot", "Equal", "true", "NoSchedule"), tolerations);
        Assert.Contains(("kubernetes.azure.com/scalesetpriority", "Equal", "spot", "NoSchedule"), tolerations);
        Assert.Contains(("karpenter.sh/capacity-type", "Equal", "spot", "NoSchedule"), tolerations);
        // The base's GPU tolerations are kept.
        Assert.Contains(tolerations, t => t.Key == "nvidia.com/gpu");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Workers_spread_over_nodes_and_zones_without_blocking_a_scale_up(string variant)
    {
        var spec = Worker(variant);
        var worker = RenderedManifests.Of(variant).Get<V1Deployment>("etrid-gpu-provider");

        Assert.Equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"], spec.TopologySpreadConstraints.Select(c => c.TopologyKey).Order(StringComparer.Ordinal));
        Assert.All(spec.TopologySpreadConstraints, c =>
        {
            Assert.Equal(1, c.MaxSkew);
            Assert.Equal("ScheduleAnyway", c.WhenUnsatisfiable);
            // The spread counts the workers, as the Deployment selects them.
            Assert.All(c.LabelSelector.MatchLabels, l => Assert.Equal(l.Value, worker.Spec.Template.Metadata.Labels[l.Key]));
        });
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Workers_never_preempt_so_local_workers_are_never_evicted_for_cloud_ones(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var priority = rendered.Get<V1PriorityClass>("etrid-gpu-worker");

        Assert.Equal("etrid-gpu-worker", Worker(variant).PriorityClassName);
        Assert.Equal("Never", priority.PreemptionPolicy);
        Assert.False(priority.GlobalDefault);
        Assert.True(priority.Value > 0);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_component_turns_the_deletion_cost_keeper_on(string variant)
    {
        var exporter = RenderedManifests.Of(variant).Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.Containers[0];

        Assert.Contains(exporter.Env, e => e.Name == "ETRID_DELETION_COST__ENABLED" && e.Value == "true");
    }

    [Theory]
    [InlineData(Variant.Hpa)]
    [InlineData(Variant.Keda)]
    public void Without_the_component_nothing_changes(string variant)
    {
        var rendered = RenderedManifests.Of(variant);

        Assert.Null(Worker(variant).PriorityClassName);
        Assert.DoesNotContain(rendered.Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.Containers[0].Env, e => e.Name.StartsWith("ETRID_DELETION_COST", StringComparison.Ordinal));
    }

    private static V1PodSpec Worker(string variant) => RenderedManifests.Of(variant).Get<V1Deployment>("etrid-gpu-provider").Spec.Template.Spec;
}
