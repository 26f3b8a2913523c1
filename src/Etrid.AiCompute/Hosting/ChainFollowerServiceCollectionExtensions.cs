using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Etrid.AiCompute.Hosting;

/// <summary>Composes the chain follower into a host: <c>services.AddChainFollower(...)</c>.</summary>
public static class ChainFollowerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the chain client, the follower (run as a hosted service) and the snapshot seam
    /// (<see cref="IChainSnapshotSource"/>, the one thing consumers take), plus the chain reads'
    /// self-metrics (<see cref="RpcCallStats"/>, <see cref="ByteCounters"/>).
    /// </summary>
    public static IServiceCollection AddChainFollower(this IServiceCollection services, SubstrateClientOptions client, FollowerOptions follower, TimeSpan stalenessLimit)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(follower);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SubstrateClient(client, sp.GetRequiredService<ILogger<SubstrateClient>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<SubstrateClient>().Bytes);
        services.AddSingleton<RpcCallStats>();
        services.AddSingleton(sp => new ChainSnapshotHub(stalenessLimit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IChainSnapshotSource>(sp => sp.GetRequiredService<ChainSnapshotHub>());
        services.AddSingleton(sp => new ChainFollower(
            new InstrumentedRpc(sp.GetRequiredService<SubstrateClient>(), sp.GetRequiredService<RpcCallStats>()),
            follower,
            sp.GetRequiredService<ChainSnapshotHub>(),
            sp.GetRequiredService<ILogger<ChainFollower>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ChainFollowerService>();
        return services;
    }
}
