using Etrid.Burst.Hosting;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Options;
using Etrid.Mithril.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Etrid.Mithril.Hosting;

/// <summary>Composition of Mithril's marketplace as the burst controller's market.</summary>
public static class MithrilBurstExtensions
{
    /// <summary>
    /// The burst controller on Mithril for the <c>mithril_auto</c> section: <c>AddBurstController(options, "mithril_auto", …)
    /// .AddMithrilMarket(options)</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The bound <c>mithril_auto</c> section.</param>
    /// <param name="environment">Reads environment variables (<c>MITHRIL_API_KEY</c>, <c>HOSTNAME</c>, <c>POD_NAMESPACE</c>); the process's by default.</param>
    /// <param name="agentVersion">The worker version nodes install unless <c>agent_version_override</c> is set; the controller's by default.</param>
    /// <param name="randomSeed">Seed of the bid-name suffixes; null draws one (production).</param>
    public static BurstControllerBuilder AddMithrilBurstController(
        this IServiceCollection services,
        MithrilAutoOptions options,
        Func<string, string?>? environment = null,
        string? agentVersion = null,
        int? randomSeed = null) =>
        services.AddBurstController(options, MithrilAutoOptions.SectionName, environment, agentVersion, randomSeed).AddMithrilMarket(options);

    /// <summary>
    /// When the controller is enabled: the Mithril client for <paramref name="options"/> (endpoint and key, the key
    /// from <c>MITHRIL_API_KEY</c> when <c>api_token</c> is empty), its call metrics (meter <c>Etrid.Mithril</c>), and
    /// <see cref="MithrilCapacityMarket"/> as the controller's market.
    /// </summary>
    public static BurstControllerBuilder AddMithrilMarket(this BurstControllerBuilder builder, MithrilAutoOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return builder;
        }

        builder.Services.AddMithrilClient(options.ToClientOptions(builder.Environment));
        builder.Services.TryAddSingleton(sp => new MithrilMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<IMithrilApi>() is MithrilClient client ? client.Stats : new MithrilCallStats()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MithrilMetrics>());
        return builder.UseMarket(sp => new MithrilCapacityMarket(options, sp.GetRequiredService<IMithrilApi>()));
    }
}
