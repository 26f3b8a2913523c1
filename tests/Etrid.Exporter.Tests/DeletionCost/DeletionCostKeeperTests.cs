using System.Diagnostics.Metrics;
using Etrid.Burst.Leadership;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.DeletionCost;
using Etrid.Exporter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Exporter.Tests.DeletionCost;

/// <summary>The deletion-cost keeper against an HTTPS Kubernetes API stand-in, with KubernetesClient.</summary>
public sealed class DeletionCostKeeperTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Worker = new() { ["app.kubernetes.io/name"] = "etrid-gpu-provider", ["app.kubernetes.io/component"] = "gpu-worker" };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private DeletionCostKubeApi _kube = null!;

    public async Task InitializeAsync()
    {
        _kube = await DeletionCostKubeApi.StartAsync();
        _kube.AddNode("local-1", new Dictionary<string, string> { ["etrid.io/gpu-pool"] = "local", ["accelerator"] = "nvidia-gpu" });
        _kube.AddNode("gke-spot-1", new Dictionary<string, string> { ["cloud.google.com/gke-nodepool"] = "gpu-spot", ["cloud.google.com/gke-spot"] = "true", ["node.kubernetes.io/instance-type"] = "a2-highgpu-8g" }, gpus: 8);
        _kube.AddNode("aks-spot-1", new Dictionary<string, string> { ["kubernetes.azure.com/agentpool"] = "gpuspot", ["kubernetes.azure.com/scalesetpriority"] = "spot", ["node.kubernetes.io/instance-type"] = "Standard_NC24ads_A100_v4" }, gpus: 1);
        _kube.AddNode("karpenter-od-1", new Dictionary<string, string> { ["karpenter.sh/capacity-type"] = "on-demand", ["node.kubernetes.io/instance-type"] = "p4d.24xlarge" }, gpus: 8);
        _kube.AddNode("mystery-1", new Dictionary<string, string> { ["accelerator"] = "nvidia-gpu" });
        _kube.AddPod("w-local", "local-1", Worker);
        _kube.AddPod("w-gke", "gke-spot-1", Worker);
        _kube.AddPod("w-aks", "aks-spot-1", Worker);
        _kube.AddPod("w-karpenter", "karpenter-od-1", Worker);
        _kube.AddPod("w-mystery", "mystery-1", Worker);
        _kube.AddPod("w-pending", null, Worker);
        _kube.AddPod("exporter", "local-1", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "etrid-exporter" });
    }

    public async Task DisposeAsync()
    {
        await _kube.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    [Fact]
    public async Task Workers_OnSpotNodes_LeaveFirst_OnLocalNodes_Last()
    {
        using var keeper = Keeper(new SettableLeadership(leading: true));

        await keeper.ReconcileAsync(CancellationToken.None);

        Assert.Equal("1000", _kube.DeletionCost("w-local"));
        Assert.Equal("-1000", _kube.DeletionCost("w-gke"));
        Assert.Equal("-1000", _kube.DeletionCost("w-aks"));
        Assert.Equal("-500", _kube.DeletionCost("w-karpenter")); // cloud, not spot
        Assert.Equal("0", _kube.DeletionCost("w-mystery")); // unknown: in the middle
        Assert.Null(_kube.DeletionCost("w-pending")); // not scheduled yet
        Assert.Null(_kube.DeletionCost("exporter")); // not a worker
    }

    [Fact]
    public async Task AnAnnotationAlreadyRight_IsNotPatchedAgain_AWrongOneIs()
    {
        _kube.AddPod("w-local", "local-1", Worker, deletionCost: "1000");
        _kube.AddPod("w-gke", "gke-spot-1", Worker, deletionCost: "5000");
        using var keeper = Keeper(new SettableLeadership(leading: true));

        await keeper.ReconcileAsync(CancellationToken.None);

        Assert.Equal("-1000", _kube.DeletionCost("w-gke"));
        Assert.DoesNotContain($"PATCH /api/v1/namespaces/{DeletionCostKubeApi.Namespace}/pods/w-local", _kube.Requests);
        Assert.Contains($"PATCH /api/v1/namespaces/{DeletionCostKubeApi.Namespace}/pods/w-gke", _kube.Requests);
    }

    [Fact]
    public async Task ApiSilent_APassEndsWithATimeoutOnceTheCallBoundPasses()
    {
        // The shared client has no short timeout of its own: the keeper bounds each of its calls.
        using var keeper = Keeper(new SettableLeadership(leading: true));
        _kube.Silent = true;

        var pass = await _kube.EndsAtItsBoundAsync(() => keeper.ReconcileAsync(CancellationToken.None), _time, DeletionCostKeeper.CallTimeout);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => pass);
        Assert.Contains("list nodes had no answer within 10 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheLeaderActs_AndANewLeaderTakesOver()
    {
        var a = new SettableLeadership(leading: true);
        var b = new SettableLeadership(leading: false);
        using var keeperA = Keeper(a);
        using var keeperB = Keeper(b);

        await keeperB.ReconcileAsync(CancellationToken.None);
        Assert.Empty(_kube.Requests); // a follower does not even read

        await keeperA.ReconcileAsync(CancellationToken.None);
        Assert.Equal("-1000", _kube.DeletionCost("w-gke"));

        // The lease moves to B; a worker lands on a spot node meanwhile.
        a.IsLeading = false;
        b.IsLeading = true;
        _kube.AddPod("w-gke-2", "gke-spot-1", Worker);
        var before = _kube.Requests.Count;
        await keeperA.ReconcileAsync(CancellationToken.None);
        Assert.Equal(before, _kube.Requests.Count);
        await keeperB.ReconcileAsync(CancellationToken.None);
        Assert.Equal("-1000", _kube.DeletionCost("w-gke-2"));
    }

    [Fact]
    public async Task CloudGpuHours_AreCountedFromNodeLabels_WhileLeading()
    {
        var leadership = new SettableLeadership(leading: true);
        using var keeper = Keeper(leadership);

        await keeper.ReconcileAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await keeper.ReconcileAsync(CancellationToken.None);

        // Half an hour of: 8 spot GPUs on GKE, 1 on AKS, 8 on-demand on EKS; local and unknown nodes are not cloud.
        Assert.Equal(
            new Dictionary<(string, string), double> { [("gcp", "a2-highgpu-8g")] = 4, [("azure", "Standard_NC24ads_A100_v4")] = 0.5, [("aws", "p4d.24xlarge")] = 4 },
            keeper.GpuHours);

        // Time as a follower is not counted (the leader counts it), nor the gap before leading again.
        leadership.IsLeading = false;
        await keeper.ReconcileAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        leadership.IsLeading = true;
        await keeper.ReconcileAsync(CancellationToken.None);
        Assert.Equal(4, keeper.GpuHours[("gcp", "a2-highgpu-8g")]);
    }

    [Fact]
    public async Task CloudGpuHours_AreExported_AsACounter_OnTheEtridMeter()
    {
        using var keeper = Keeper(new SettableLeadership(leading: true));
        await keeper.ReconcileAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await keeper.ReconcileAsync(CancellationToken.None);
        var seen = new List<(string Name, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeletionCostKeeper.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            seen.Add((instrument.Name, value, string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Contains(("etrid_cloud_gpu_hours_total", 8.0, "cloud=gcp,instance_type=a2-highgpu-8g"), seen);
    }

    [Fact]
    public async Task ItCallsOnlyWhatItsRoleGrants()
    {
        _kube.AddPod("w-gke", "gke-spot-1", Worker, deletionCost: "7");
        using var keeper = Keeper(new SettableLeadership(leading: true));

        await keeper.ReconcileAsync(CancellationToken.None);

        // components/cloud-spot grants list nodes, list pods and patch pods in its namespace, nothing else
        // (tests/Etrid.Manifests.Tests/RbacTests.cs holds the Role to exactly these).
        var ns = DeletionCostKubeApi.Namespace;
        Assert.All(_kube.Requests, r => Assert.True(
            r == "GET /api/v1/nodes" || r == $"GET /api/v1/namespaces/{ns}/pods" || r.StartsWith($"PATCH /api/v1/namespaces/{ns}/pods/", StringComparison.Ordinal),
            r));
    }

    [Theory]
    [InlineData("cloud.google.com/gke-nodepool=a,cloud.google.com/gke-provisioning=spot", null, NodeKind.Spot, "gcp")]
    [InlineData("cloud.google.com/gke-nodepool=a", null, NodeKind.Cloud, "gcp")]
    [InlineData("kubernetes.azure.com/agentpool=a", null, NodeKind.Cloud, "azure")]
    [InlineData("eks.amazonaws.com/nodegroup=g,eks.amazonaws.com/capacityType=SPOT", null, NodeKind.Spot, "aws")]
    [InlineData("karpenter.sh/capacity-type=spot", null, NodeKind.Spot, "aws")]
    [InlineData("", "aws:///eu-west-1a/i-0abc", NodeKind.Cloud, "aws")]
    [InlineData("", "gce://project/zone/node", NodeKind.Cloud, "gcp")]
    [InlineData("etrid.io/gpu-pool=local,cloud.google.com/gke-spot=true", null, NodeKind.Local, null)]
    [InlineData("etrid.io/gpu-pool=cloud", null, NodeKind.Unknown, null)]
    [InlineData("", null, NodeKind.Unknown, null)]
    public void Classify_ReadsTheCloudsLabels(string labels, string? providerId, NodeKind kind, string? cloud)
    {
        var node = new k8s.Models.V1Node
        {
            Metadata = new() { Name = "n", Labels = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]) },
            Spec = new() { ProviderID = providerId },
        };

        var placement = new NodeClassifier("etrid.io/gpu-pool=local").Classify(node);

        Assert.Equal((kind, cloud), (placement.Kind, placement.Cloud));
    }

    private DeletionCostKeeper Keeper(IBurstLeadership leadership) =>
        new(_kube.Client(), DeletionCostKubeApi.Namespace, leadership, runsLeadership: false, new DeletionCostOptions { Enabled = true }, _time, _metrics.GetRequiredService<IMeterFactory>(), NullLogger<DeletionCostKeeper>.Instance);

    private sealed class SettableLeadership(bool leading) : IBurstLeadership
    {
        public bool IsLeading { get; set; } = leading;

        public string Identity => "pod";

        public string? LeaderIdentity => IsLeading ? Identity : "another";

        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
