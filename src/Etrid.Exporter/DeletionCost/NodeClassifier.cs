using k8s.Models;

namespace Etrid.Exporter.DeletionCost;

/// <summary>Reads a node's placement from the labels GKE, AKS, EKS and Karpenter put on their nodes.</summary>
public sealed class NodeClassifier
{
    private readonly string _localKey;
    private readonly string _localValue;

    /// <param name="localNodeLabel">The label of your own GPU nodes, <c>key=value</c>.</param>
    public NodeClassifier(string localNodeLabel)
    {
        ArgumentNullException.ThrowIfNull(localNodeLabel);
        var equals = localNodeLabel.IndexOf('=', StringComparison.Ordinal);
        _localKey = equals < 0 ? localNodeLabel : localNodeLabel[..equals];
        _localValue = equals < 0 ? string.Empty : localNodeLabel[(equals + 1)..];
    }

    /// <summary>The placement of <paramref name="node"/>; the local label wins over anything a cloud says.</summary>
    public NodePlacement Classify(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        var instanceType = Label(labels, "node.kubernetes.io/instance-type") ?? Label(labels, "beta.kubernetes.io/instance-type") ?? "unknown";
        var gpus = Gpus(node.Status?.Capacity);
        if (Label(labels, _localKey) == _localValue)
        {
            return new(NodeKind.Local, null, instanceType, gpus);
        }

        var provider = node.Spec?.ProviderID ?? string.Empty;
        var cloud =
            labels.Keys.Any(k => k.StartsWith("cloud.google.com/gke-", StringComparison.Ordinal)) || provider.StartsWith("gce://", StringComparison.Ordinal) ? "gcp"
            : labels.Keys.Any(k => k.StartsWith("kubernetes.azure.com/", StringComparison.Ordinal)) || provider.StartsWith("azure://", StringComparison.Ordinal) ? "azure"
            : labels.Keys.Any(k => k.StartsWith("eks.amazonaws.com/", StringComparison.Ordinal) || k.StartsWith("karpenter.sh/", StringComparison.Ordinal) || k.StartsWith("karpenter.k8s.aws/", StringComparison.Ordinal)) || provider.StartsWith("aws://", StringComparison.Ordinal) ? "aws"
            : null;
        if (cloud is null)
        {
            return new(NodeKind.Unknown, null, instanceType, gpus);
        }

        var spot =
            Label(labels, "cloud.google.com/gke-spot") == "true"
            || Label(labels, "cloud.google.com/gke-preemptible") == "true"
            || Label(labels, "cloud.google.com/gke-provisioning") == "spot"
            || Label(labels, "kubernetes.azure.com/scalesetpriority") == "spot"
            || Label(labels, "karpenter.sh/capacity-type") == "spot"
            || string.Equals(Label(labels, "eks.amazonaws.com/capacityType"), "SPOT", StringComparison.OrdinalIgnoreCase);
        return new(spot ? NodeKind.Spot : NodeKind.Cloud, cloud, instanceType, gpus);
    }

    private static string? Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var value) ? value : null;

    private static long Gpus(IDictionary<string, ResourceQuantity>? capacity)
    {
        long gpus = 0;
        foreach (var resource in new[] { "nvidia.com/gpu", "amd.com/gpu" })
        {
            if (capacity is not null && capacity.TryGetValue(resource, out var quantity))
            {
                gpus += Math.Max(0, quantity.ToInt64());
            }
        }

        return gpus;
    }
}
