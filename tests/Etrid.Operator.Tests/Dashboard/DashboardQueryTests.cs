namespace Etrid.Operator.Tests.Dashboard;

/// <summary>Every panel query of the dashboard returns data from a real Prometheus scraping the real demo.</summary>
[Collection(LiveDemoCollection.Name)]
public sealed class DashboardQueryTests(LiveDemo demo)
{
    private const string KubeStateMetricsSkip =
        "The demo runs no Kubernetes, so there is no kube-state-metrics: the HPA replica queries (panels marked 'Needs kube-state-metrics') have no data to return";

    public static TheoryData<string> DemoQueries => [.. DashboardFile.Queries().Where(q => !q.NeedsKubeStateMetrics).Select(q => q.Key)];

    public static TheoryData<string> KubeStateMetricsQueries => [.. DashboardFile.Queries().Where(q => q.NeedsKubeStateMetrics).Select(q => q.Key)];

    [Theory]
    [MemberData(nameof(DemoQueries))]
    public void Every_panel_query_returns_data_from_the_demo(string query)
    {
        Assert.True(
            demo.SeriesCount[query] > 0,
            $"{query}: no data for `{demo.Sent[query]}` (variables: {string.Join(", ", demo.VariableValues.Select(v => $"{v.Key}={v.Value}"))})");
    }

    [Theory(Skip = KubeStateMetricsSkip)]
    [MemberData(nameof(KubeStateMetricsQueries))]
    public void Panel_queries_on_kube_state_metrics_return_data(string query) =>
        Assert.Fail($"{query} needs kube-state-metrics");

    [Fact]
    public void The_variables_offer_the_demos_pbc_and_its_providers()
    {
        Assert.Equal(["ai-compute"], demo.VariableOptions["pbc"]);
        // The demo's dev chain registers GPUs for 12 providers, all with the SS58 prefix of its format.
        Assert.True(demo.VariableOptions["provider"].Count > 1, string.Join(", ", demo.VariableOptions["provider"]));
        Assert.All(demo.VariableOptions["provider"], p => Assert.Matches("^[1-9A-HJ-NP-Za-km-z]{46,48}$", p));
    }
}
