using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Simulation.Hpa;
using Etrid.Tests.Shared;

namespace Etrid.Scaling.Tests.Hpa;

/// <summary>Dev chain → follower → adapter over HTTPS → HPA model, against a plain recomputation from the chain's ground truth.</summary>
public sealed class HpaDevChainTests
{
    [Fact]
    public async Task QueueDepthProposal_FollowsThePendingJobsBlockByBlock()
    {
        using var dir = new TempDirectory();
        await using var chain = await FollowedDevChain.StartAsync(jobs: 40, gpus: 4, arrivalRate: 0);
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = dir.Write("tokens.csv", "t,hpa,1\n") },
        };
        await using var api = await ApiHarness.StartAsync(chain.Hub, options);
        using var http = api.Client(headers: h => h.Authorization = new("Bearer", "t"));
        var spec = new HpaSpec(1, 100, [new HpaMetricSpec("etrid_job_queue_depth", "pbc=ai-compute,status=pending", MetricTargetType.AverageValue, 5)]);
        var model = new HpaModel(spec, new ExternalMetricsHttpReader(http), TimeProvider.System);
        const int current = 10;
        var proposals = new List<int>();

        chain.Chain.SetArrivalRate(12);
        for (var i = 0; i < 6; i++)
        {
            var block = chain.Chain.ProduceBlock();
            await Eventually.WaitAsync(() => chain.Hub.Current?.BlockNumber == block.Number, $"the snapshot of block {block.Number}");
            var pending = chain.Chain.GroundTruth().Pending.Count;

            var decision = await model.SyncAsync(current);

            // The oracle: AverageValue 5 with the 0.1 tolerance, on the chain's own pending list.
            var expected = Math.Abs((pending / (5.0 * current)) - 1) <= 0.1 ? current : (int)Math.Ceiling(pending / 5.0);
            Assert.Equal(expected, decision.MetricReplicas);
            proposals.Add(decision.MetricReplicas!.Value);
        }

        Assert.True(proposals[^1] > proposals[0], $"the queue grew: {string.Join(", ", proposals)}");
    }
}
