using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Etrid.Kubernetes;

/// <summary>
/// Registers the one <see cref="KubernetesAccess"/> every part shares. The host binds the top-level <c>kubernetes</c>
/// section once (<see cref="AddKubernetesAccess(IServiceCollection, IConfiguration, Func{string, string?}?)"/>); each
/// part's <c>AddX</c> calls <see cref="AddKubernetesAccess(IServiceCollection, Func{string, string?}?)"/>, which adds
/// nothing when the client is registered already, so however many parts are on there is one client.
/// </summary>
public static class KubernetesAccessServiceCollectionExtensions
{
    /// <summary>
    /// Binds <paramref name="section"/> (the top-level <c>kubernetes</c>) into <see cref="KubernetesAccessOptions"/>,
    /// validated on start by <see cref="KubernetesAccessOptionsValidator"/>, and registers the client made from it.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="section">The <c>kubernetes</c> section.</param>
    /// <param name="environment">Reads <c>KUBERNETES_SERVICE_HOST</c> and <c>POD_NAMESPACE</c>; the process's by default.</param>
    public static IServiceCollection AddKubernetesAccess(this IServiceCollection services, IConfiguration section, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptionsWithValidateOnStart<KubernetesAccessOptions, KubernetesAccessOptionsValidator>().Bind(section);
        return services.AddKubernetesAccess(environment);
    }

    /// <summary>
    /// Registers the client for <paramref name="options"/> given in code (a host composed without a file, tests); throws
    /// listing every problem when they are invalid. Nothing is added when a client is registered already.
    /// </summary>
    public static IServiceCollection AddKubernetesAccess(this IServiceCollection services, KubernetesAccessOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var result = new KubernetesAccessOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new InvalidOperationException("invalid kubernetes options:\n" + string.Join('\n', result.Failures));
        }

        environment ??= Environment.GetEnvironmentVariable;
        services.TryAddSingleton(_ => KubernetesAccess.Create(options, environment));
        return services;
    }

    /// <summary>
    /// What each part calls: the client from the bound <c>kubernetes</c> options (the defaults, <c>mode: auto</c>, when no
    /// section was bound), unless one is registered already.
    /// </summary>
    public static IServiceCollection AddKubernetesAccess(this IServiceCollection services, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        environment ??= Environment.GetEnvironmentVariable;
        services.AddOptions();
        services.TryAddSingleton(sp => KubernetesAccess.Create(sp.GetRequiredService<IOptions<KubernetesAccessOptions>>().Value, environment));
        return services;
    }
}
