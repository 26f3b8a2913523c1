using Etrid.Manifests.Tests.Policy;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>The exporter's ServiceAccount may make exactly the API calls the service makes, and no other.</summary>
public sealed class RbacTests
{
    private const string Ns = "etrid-ai-compute";
    private const string Account = "etrid-exporter";

    /// <summary>The burst controller's calls, on both paths: leader election on a Lease, and the HPA's status.</summary>
    private static List<ApiCall> BurstControllerCalls(string hpa) =>
    [
        new("create", "coordination.k8s.io", "leases", Ns, null, "leader election creates the Lease the first time"),
        new("get", "coordination.k8s.io", "leases", Ns, "etrid-burst-controller", "leader election reads the Lease"),
        new("update", "coordination.k8s.io", "leases", Ns, "etrid-burst-controller", "leader election renews or takes the Lease"),
        new("get", "autoscaling", "horizontalpodautoscalers", Ns, hpa, "the burst controller reads the HPA"),
        new("get", "autoscaling", "horizontalpodautoscalers/status", Ns, hpa, "the burst controller reads the HPA's status"),
    ];

    /// <summary>The external metrics API server's calls as an aggregated API server (delegated auth).</summary>
    private static readonly List<ApiCall> ApiServerCalls =
    [
        new("create", "authentication.k8s.io", "tokenreviews", null, null, "bearer tokens"),
        new("create", "authorization.k8s.io", "subjectaccessreviews", null, null, "authorization of every request"),
        new("get", "", "configmaps", "kube-system", "extension-apiserver-authentication", "client and request-header CAs"),
        new("list", "", "configmaps", "kube-system", "extension-apiserver-authentication", "informer start"),
        new("watch", "", "configmaps", "kube-system", "extension-apiserver-authentication", "CA rotation"),
    ];

    /// <summary>The deletion-cost keeper's calls (components/cloud-spot): the workers listed and patched, nodes listed.</summary>
    private static readonly List<ApiCall> DeletionCostCalls =
    [
        new("list", "", "pods", Ns, null, "the keeper finds the worker pods by label"),
        new("patch", "", "pods", Ns, null, "the keeper sets controller.kubernetes.io/pod-deletion-cost on a worker"),
        new("list", "", "nodes", null, null, "the keeper tells local, spot and cloud nodes apart by their labels"),
    ];

    public static TheoryData<string> HpaVariants => [.. Variant.HpaPath];

    public static TheoryData<string> KedaVariants => [.. Variant.KedaPath];

    [Theory]
    [MemberData(nameof(HpaVariants))]
    public void On_the_hpa_path_every_call_is_allowed_and_nothing_else(string variant) =>
        AssertExactly(RenderedManifests.Of(variant), [.. BurstControllerCalls("etrid-ai-gpu-scaler"), .. ApiServerCalls, .. KeeperCalls(variant)]);

    [Theory]
    [MemberData(nameof(KedaVariants))]
    public void On_the_keda_path_the_burst_controller_reads_kedas_hpa_and_nothing_else(string variant) =>
        AssertExactly(RenderedManifests.Of(variant), [.. BurstControllerCalls("keda-hpa-etrid-gpu-provider"), .. KeeperCalls(variant)]);

    [Fact]
    public void A_call_outside_the_list_is_refused()
    {
        var rbac = RbacModel.ForServiceAccount(RenderedManifests.Of(Variant.Hpa), Ns, Account);

        Assert.False(rbac.Allows(new("get", "", "secrets", Ns, "etrid-exporter-secrets", "")));
        Assert.False(rbac.Allows(new("get", "", "configmaps", "kube-system", "kube-proxy", "")));
        Assert.False(rbac.Allows(new("update", "coordination.k8s.io", "leases", Ns, "someone-else", "")));
        Assert.False(rbac.Allows(new("get", "coordination.k8s.io", "leases", "kube-system", "etrid-burst-controller", "")));
        Assert.False(rbac.Allows(new("patch", "autoscaling", "horizontalpodautoscalers", Ns, "etrid-ai-gpu-scaler", "")));
    }

    [Theory]
    [InlineData(Variant.HpaAllComponents)]
    [InlineData(Variant.KedaAllComponents)]
    public void The_deletion_cost_keeper_may_not_touch_other_namespaces_or_other_objects(string variant)
    {
        var rbac = RbacModel.ForServiceAccount(RenderedManifests.Of(variant), Ns, Account);

        Assert.False(rbac.Allows(new("patch", "", "pods", "kube-system", null, "")));
        Assert.False(rbac.Allows(new("delete", "", "pods", Ns, null, "")));
        Assert.False(rbac.Allows(new("get", "", "pods", Ns, null, "")));
        Assert.False(rbac.Allows(new("list", "", "pods", "kube-system", null, "")));
        Assert.False(rbac.Allows(new("patch", "", "nodes", null, null, "")));
        Assert.False(rbac.Allows(new("list", "", "secrets", Ns, null, "")));
    }

    [Fact]
    public void The_workers_never_get_an_api_token()
    {
        var worker = RenderedManifests.Of(Variant.Base).Get<V1Deployment>("etrid-gpu-provider");
        Assert.False(worker.Spec.Template.Spec.AutomountServiceAccountToken);
    }

    // Only the variants with every component carry components/cloud-spot.
    private static List<ApiCall> KeeperCalls(string variant) => variant is Variant.HpaAllComponents or Variant.KedaAllComponents ? DeletionCostCalls : [];

    private static void AssertExactly(RenderedManifests rendered, List<ApiCall> calls)
    {
        var rbac = RbacModel.ForServiceAccount(rendered, Ns, Account);
        Assert.Empty(rbac.Problems);

        var refused = calls.Where(c => !rbac.Allows(c)).ToList();
        Assert.True(refused.Count == 0, "refused: " + string.Join("; ", refused));

        // Nothing more: each permission held is exactly one of the calls (no wildcard, no wider scope).
        var surplus = rbac.Grants.Where(g => !calls.Any(g.IsExactly)).ToList();
        Assert.True(surplus.Count == 0, "not needed: " + string.Join("; ", surplus));

        var account = rendered.Get<V1ServiceAccount>(Account);
        Assert.Equal(Ns, account.Metadata.NamespaceProperty);
        Assert.Equal(Account, rendered.Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.ServiceAccountName);
    }
}
