using Etrid.Scaling.Tests.Support;

namespace Etrid.Scaling.Tests.Keda;

/// <summary>End to end: dev chain → follower → snapshot seam → scaler → real gRPC client.</summary>
public sealed class KedaScalerDevChainTests
{
    [Fact]
    public async Task StreamIsActive_PushesTrueAtTheBlockWherePendingJobsAppear()
    {
        // Few jobs and no arrivals: nothing pending at genesis.
        await using var chain = await FollowedDevChain.StartAsync(jobs: 40, gpus: 4, arrivalRate: 0);
        Assert.Empty(chain.Chain.GroundTruth().Pending);
        await using var scaler = await ScalerHarness.StartAsync(chain.Hub);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = scaler.Client.StreamIsActive(ScalerHarness.Ref(("metric", "etrid_job_queue_depth"), ("target", "5")), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.False(call.ResponseStream.Current.Result);

        chain.Chain.SetArrivalRate(50);
        var block = chain.Chain.ProduceBlock();
        Assert.NotEmpty(chain.Chain.GroundTruth().Pending);

        // No further block is produced: the push must come from this block's snapshot.
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.True(call.ResponseStream.Current.Result);
        Assert.Equal(block.Number, chain.Hub.Current!.BlockNumber);
        var metrics = await scaler.Client.GetMetricsAsync(new() { ScaledObjectRef = ScalerHarness.Ref(("target", "5")) });
        Assert.Equal(chain.Chain.GroundTruth().Pending.Count, metrics.MetricValues[0].MetricValueFloat);
    }
}
