namespace Etrid.Exporter.DeletionCost;

/// <summary>What kind of capacity a node is, for the order in which workers leave.</summary>
public enum NodeKind
{
    /// <summary>Neither labelled local nor recognisably a cloud's: left in the middle (cost 0).</summary>
    Unknown,

    /// <summary>Your own GPU node (the configured <c>local_node_label</c>): its workers leave last.</summary>
    Local,

    /// <summary>A cloud node that is not spot (on-demand capacity the autoscaler added).</summary>
    Cloud,

    /// <summary>A cloud spot node: its workers leave first.</summary>
    Spot,
}
