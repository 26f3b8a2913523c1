namespace Etrid.Exporter.DeletionCost;

/// <summary>Where a node runs, read from its labels (and provider ID), and the GPUs it adds.</summary>
/// <param name="Kind">Local, spot, other cloud capacity, or unknown.</param>
/// <param name="Cloud"><c>aws</c>, <c>gcp</c> or <c>azure</c> for a cloud node, else null.</param>
/// <param name="InstanceType">The node's <c>node.kubernetes.io/instance-type</c>, or <c>unknown</c>.</param>
/// <param name="Gpus">Its GPU capacity (<c>nvidia.com/gpu</c> and <c>amd.com/gpu</c>).</param>
public sealed record NodePlacement(NodeKind Kind, string? Cloud, string InstanceType, long Gpus)
{
    /// <summary>The <c>controller.kubernetes.io/pod-deletion-cost</c> of a worker on such a node: the ReplicaSet removes the lowest first.</summary>
    public int DeletionCost => Kind switch
    {
        NodeKind.Local => 1000,
        NodeKind.Unknown => 0,
        NodeKind.Cloud => -500,
        _ => -1000,
    };
}
