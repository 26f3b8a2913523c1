using Etrid.Mithril.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Etrid.Mithril.Hosting;

/// <summary>Composition of the Mithril client into a host.</summary>
public static class MithrilServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IMithrilApi"/> as one <see cref="MithrilClient"/> for these options, with the
    /// host's <see cref="TimeProvider"/> (the system clock when none is registered) and logging.
    /// </summary>
    public static IServiceCollection AddMithrilClient(this IServiceCollection services, MithrilClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IMithrilApi>(sp => new MithrilClient(
            sp.GetRequiredService<MithrilClientOptions>(),
            sp.GetService<ILogger<MithrilClient>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
