using Etrid.Scaling.Telemetry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Etrid.Scaling.Listeners;

/// <summary>What every part with a listener of its own (the external metrics API, the KEDA scaler) composes the same way.</summary>
internal static class ListenerPartServices
{
    /// <summary>
    /// Throws listing every problem <paramref name="validator"/> (the rules the configured section is checked with) finds in
    /// <paramref name="options"/> given in code.
    /// </summary>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string part)
        where TOptions : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new InvalidOperationException($"invalid {part} options:\n" + string.Join('\n', result.Failures));
        }
    }

    /// <summary>The part's options as a singleton, the named listeners, the clock, the metrics and the routing that keeps each part's endpoints on its own listener.</summary>
    public static IServiceCollection AddListenerPart<TOptions>(this IServiceCollection services, TOptions options)
        where TOptions : class
    {
        services.AddSingleton(options);
        services.TryAddSingleton<NamedListeners>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ScalingTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        return services;
    }
}
