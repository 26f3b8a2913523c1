namespace Etrid.Operator.Tests.Dashboard;

/// <summary>One query of one panel: the panel's title, the query's refId and PromQL, and whether it needs kube-state-metrics.</summary>
internal sealed record PanelQuery(string Panel, string RefId, string Expr, bool NeedsKubeStateMetrics)
{
    public string Key => $"{Panel} / {RefId}";
}
