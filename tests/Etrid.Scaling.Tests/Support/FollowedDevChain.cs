using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;

namespace Etrid.Scaling.Tests.Support;

/// <summary>
/// The dev chain followed over a real WebSocket by the real follower, its snapshots fed into a
/// <see cref="ChainSnapshotHub"/> (the seam the scaling interfaces read).
/// </summary>
internal sealed class FollowedDevChain : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private DevChainHarness _dev = null!;
    private SubstrateClient _client = null!;
    private Task _running = Task.CompletedTask;

    public ChainSnapshotHub Hub { get; } = new(TimeSpan.FromSeconds(60));

    public DevChain.Chain.DevChain Chain => _dev.Chain;


    public static async Task<FollowedDevChain> StartAsync(int jobs, int gpus, double arrivalRate)
    {
        var followed = new FollowedDevChain();
        followed._dev = await DevChainHarness.StartAsync(jobs: jobs, gpus: gpus, arrivalRate: arrivalRate);
        followed._client = new SubstrateClient(new SubstrateClientOptions
        {
            Endpoints = [followed._dev.Url],
            WatchdogBlocks = 0,
            BlockTime = TimeSpan.FromMilliseconds(200),
            JitterSeed = 1,
        });
        var follower = new ChainFollower(new InstrumentedRpc(followed._client, new RpcCallStats()), new FollowerOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200) }, followed.Hub, jitterSeed: 1);
        followed._client.Connected += follower.OnConnected;
        followed._client.Disconnected += follower.OnDisconnected;
        followed._client.Start();
        followed._running = Task.Run(() => follower.RunAsync(followed._stop.Token));
        await Eventually.WaitAsync(() => followed.Hub.Current is not null, "the first snapshot");
        return followed;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        await _client.DisposeAsync();
        await _dev.DisposeAsync();
        _stop.Dispose();
    }
}
