using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Etrid.AiCompute.Hosting;

/// <summary>Composes the chain follower into a host: <c>services.AddChainFollower(configuration.GetSection("chain"))</c>.</summary>
public static class ChainFollowerServiceCollectionExtensions
{
    /// <summary>The configuration section the chain follower owns.</summary>
    public const string SectionName = "chain";

    /// <summary>
    /// Adds the chain client, the follower (run as a hosted service) and the snapshot seam
    /// (<see cref="IChainSnapshotSource"/>, the one thing consumers take), plus the chain reads'
    /// self-metrics (<see cref="RpcCallStats"/>, <see cref="ByteCounters"/>). Both settings bind from
    /// <paramref name="section"/> (one section, the client's keys and the follower's) and are validated on start
    /// by their generated validators.
    /// </summary>
    public static IServiceCollection AddChainFollower(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptionsWithValidateOnStart<SubstrateClientOptions, SubstrateClientOptionsValidator>().Bind(section);
        services.AddOptionsWithValidateOnStart<FollowerOptions, FollowerOptionsValidator>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SubstrateClient(sp.GetRequiredService<IOptions<SubstrateClientOptions>>().Value, sp.GetRequiredService<ILogger<SubstrateClient>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<SubstrateClient>().Bytes);
        services.AddSingleton<RpcCallStats>();
        services.AddSingleton(sp => new ChainSnapshotHub(sp.GetRequiredService<IOptions<FollowerOptions>>().Value.StalenessLimit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IChainSnapshotSource>(sp => sp.GetRequiredService<ChainSnapshotHub>());
        services.AddSingleton(sp => new ChainFollower(
            new InstrumentedRpc(sp.GetRequiredService<SubstrateClient>(), sp.GetRequiredService<RpcCallStats>()),
            sp.GetRequiredService<IOptions<FollowerOptions>>().Value,
            sp.GetRequiredService<ChainSnapshotHub>(),
            sp.GetRequiredService<ILogger<ChainFollower>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ChainFollowerService>();
        return services;
    }
}
