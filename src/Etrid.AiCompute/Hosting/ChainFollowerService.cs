using Etrid.AiCompute.Follower;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.Hosting;

namespace Etrid.AiCompute.Hosting;

/// <summary>Runs the chain client and the follower in the background; start-up never waits for the chain.</summary>
internal sealed class ChainFollowerService : BackgroundService
{
    private readonly SubstrateClient _client;
    private readonly ChainFollower _follower;

    public ChainFollowerService(SubstrateClient client, ChainFollower follower)
    {
        _client = client;
        _follower = follower;
        _follower.AttachTo(_client);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.Start();
        return Task.Run(() => _follower.RunAsync(stoppingToken), stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }
}
