using Etrid.AiCompute.Follower;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Hosting;

/// <summary>Runs the chain client and follower in the background; start-up never waits for the chain.</summary>
internal sealed class FollowerService : BackgroundService
{
    private readonly SubstrateClient _client;
    private readonly ChainFollower _follower;
    private readonly ChainStatus _status;
    private int _connections;

    public FollowerService(SubstrateClient client, ChainFollower follower, ChainStatus status)
    {
        _client = client;
        _follower = follower;
        _status = status;
        _client.Connected += OnConnected;
        _client.Disconnected += OnDisconnected;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.Start();
        return Task.Run(() => _follower.RunAsync(stoppingToken), stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _client.DisposeAsync();
    }

    private void OnConnected(string endpoint)
    {
        _status.Endpoint = endpoint;
        _status.Connected = true;
        if (Interlocked.Increment(ref _connections) > 1)
        {
            // Anything may have happened while away: read the state afresh.
            _follower.RequestResync($"reconnected to {endpoint}");
        }
    }

    private void OnDisconnected(string reason) => _status.Connected = false;
}
