namespace Etrid.Operator.Tests.Dashboard;

/// <summary>
/// Every panel query of the dashboard returns data from a real Prometheus scraping the real demo; the panels on
/// kube-state-metrics, which the demo has not, are run by promtool in Etrid.Manifests.Tests (KubeStateMetricsPanelTests).
/// </summary>
[Collection(LiveDemoCollection.Name)]
public sealed class DashboardQueryTests(LiveDemo demo)
{
    public static TheoryData<string> DemoQueries => [.. DashboardFile.Queries().Where(q => !q.NeedsKubeStateMetrics).Select(q => q.Key)];

    [Theory]
    [MemberData(nameof(DemoQueries))]
    public void Every_panel_query_returns_data_from_the_demo(string query)
    {
        Assert.True(
            demo.SeriesCount[query] > 0,
            $"{query}: no data for `{demo.Sent[query]}` (variables: {string.Join(", ", demo.VariableValues.Select(v => $"{v.Key}={v.Value}"))})");
    }

    [Fact]
    public void The_variables_offer_the_demos_pbc_and_its_providers()
    {
        Assert.Equal(["ai-compute"], demo.VariableOptions["pbc"]);
        // The demo's dev chain registers GPUs for 12 providers, all with the SS58 prefix of its format.
        Assert.True(demo.VariableOptions["provider"].Count > 1, string.Join(", ", demo.VariableOptions["provider"]));
        Assert.All(demo.VariableOptions["provider"], p => Assert.Matches("^[1-9A-HJ-NP-Za-km-z]{46,48}$", p));
    }
}
