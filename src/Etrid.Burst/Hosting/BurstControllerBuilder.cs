using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Etrid.Burst.Hosting;

/// <summary>
/// What <see cref="BurstControllerServiceCollectionExtensions.AddBurstController"/> returns, for a provider's
/// registration to hang from (in the manner of YARP's <c>IReverseProxyBuilder</c>): Mithril's is
/// <c>.AddMithrilMarket(options)</c>; another provider adds its own extension that calls <see cref="UseMarket"/>.
/// </summary>
public sealed class BurstControllerBuilder
{
    internal BurstControllerBuilder(IServiceCollection services, BurstOptions options, string path, Func<string, string?> environment)
    {
        Services = services;
        Options = options;
        Path = path;
        Environment = environment;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The controller's options (the provider's section).</summary>
    public BurstOptions Options { get; }

    /// <summary>The section's path in problems and logs.</summary>
    public string Path { get; }

    /// <summary>Reads environment variables (a provider's key may come from one).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>The market the controller bursts to; nothing is registered while the controller is disabled.</summary>
    /// <param name="market">Makes the market from the host's services.</param>
    public BurstControllerBuilder UseMarket(Func<IServiceProvider, ICapacityMarket> market)
    {
        ArgumentNullException.ThrowIfNull(market);
        if (Options.Enabled)
        {
            Services.TryAddSingleton(market);
        }

        return this;
    }
}
