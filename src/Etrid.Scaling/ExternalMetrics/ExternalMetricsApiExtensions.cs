using Etrid.AiCompute.Snapshots;
using Etrid.Kubernetes;
using Etrid.Scaling.Authentication;
using Etrid.Scaling.Authorization;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Etrid.Scaling.Probes;
using Etrid.Scaling.Telemetry;
using Etrid.Scaling.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>
/// Composes the external metrics API into a host: <see cref="AddExternalMetricsApi(IServiceCollection, IConfiguration, string)"/>,
/// <see cref="MapExternalMetricsApi"/> and <see cref="ListenExternalMetricsApi"/> (its own HTTPS listener;
/// its endpoints answer only there). Needs an <see cref="IChainSnapshotSource"/> in the container. The
/// protected routes carry their own authentication and authorization (<see cref="ApiAccessGate"/>), so the
/// host's pipeline needs no middleware for them.
/// </summary>
public static class ExternalMetricsApiExtensions
{
    /// <summary>The listener name tagging the API's connections.</summary>
    public const string ListenerName = "external-metrics";

    /// <summary>
    /// Adds the API configured by <paramref name="section"/> (<c>external_metrics</c>): the options bind from it and are
    /// validated on start by <see cref="ExternalMetricsOptionsValidator"/>, whether the API is enabled or not. With
    /// <c>enabled: false</c> nothing else is added, and <see cref="MapExternalMetricsApi"/> and
    /// <see cref="ListenExternalMetricsApi"/> do nothing, so a host can always call all three.
    /// </summary>
    public static IServiceCollection AddExternalMetricsApi(this IServiceCollection services, IConfiguration section, string pbc = "ai-compute")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptionsWithValidateOnStart<ExternalMetricsOptions, ExternalMetricsOptionsValidator>().Bind(section);
        // What to compose is decided now, from the same section; the values are checked before anything is started.
        var options = section.Get<ExternalMetricsOptions>() ?? new ExternalMetricsOptions();
        return options.Enabled ? services.AddExternalMetricsServices(options, pbc) : services;
    }

    /// <summary>
    /// Adds the API with <paramref name="options"/> given in code; throws listing every problem (by
    /// <see cref="ExternalMetricsOptionsValidator"/>, the rules the configured section is checked with) when they are invalid. With
    /// <c>enabled: false</c> nothing is added.
    /// </summary>
    public static IServiceCollection AddExternalMetricsApi(this IServiceCollection services, ExternalMetricsOptions options, string pbc = "ai-compute")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return services;
        }

        ListenerPartServices.ThrowIfInvalid(new ExternalMetricsOptionsValidator(), options, "external metrics API");
        return services.AddExternalMetricsServices(options, pbc);
    }

    private static IServiceCollection AddExternalMetricsServices(this IServiceCollection services, ExternalMetricsOptions options, string pbc)
    {
        services.AddListenerPart(options);
        // The exporter's one client (the top-level kubernetes section, bound by the host): added here only if no part has.
        services.AddKubernetesAccess();
        services.AddSingleton(sp => new ServingCertificate(options.Tls, sp.GetRequiredService<ILogger<ServingCertificate>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var kubernetes = sp.GetRequiredService<KubernetesAccess>();
            return new AuthenticationConfigStore(FilesConfig(options.Authentication), !kubernetes.IsStandalone && options.Authentication.FromCluster);
        });
        services.AddSingleton(sp =>
        {
            var auth = options.Authentication;
            var kubernetes = sp.GetRequiredService<KubernetesAccess>();
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetRequiredService<ILogger<RequestAuthenticator>>();
            StaticTokens? tokens = null;
            if (!string.IsNullOrEmpty(auth.TokenFile))
            {
                tokens = StaticTokens.Load(auth.TokenFile);
                ExternalMetricsLog.StaticTokensLoaded(logger, tokens.Count, auth.TokenFile);
            }

            var reviewer = !kubernetes.IsStandalone && auth.TokenReview
                ? new TokenReviewer(kubernetes, auth.CacheTtl, options.ReviewTimeout, time, sp.GetRequiredService<ScalingTelemetry>())
                : null;
            var authenticator = new RequestAuthenticator(sp.GetRequiredService<AuthenticationConfigStore>(), tokens, reviewer, auth.AllowAnonymous, time, sp.GetRequiredService<ScalingTelemetry>());
            authenticator.TokenReviewFailed += e => ExternalMetricsLog.TokenReviewFailed(logger, e);
            return authenticator;
        });
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<AccessReviewer>>();
            var reviewer = new AccessReviewer(sp.GetRequiredService<KubernetesAccess>(), options.AuthorizationCacheTtl, options.ReviewTimeout, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ScalingTelemetry>());
            reviewer.ReviewFailed += (user, e) => ExternalMetricsLog.SubjectAccessReviewFailed(logger, user, e);
            return reviewer;
        });
        services.AddSingleton(sp => new ExternalMetricsServer(
            sp.GetRequiredService<IChainSnapshotSource>(),
            options,
            new MetricCatalogue(pbc, options.Metrics),
            sp.GetRequiredService<ScalingTelemetry>(),
            sp.GetRequiredService<ILogger<ExternalMetricsServer>>()));
        services.AddSingleton<ApiAccessGate>();
        services.AddEtridHealthChecks();
        services.AddHealthChecks().AddCheck<AuthenticationHealthCheck>(AuthenticationHealthCheck.Name, tags: [HealthTags.ExternalMetricsReady]);
        services.AddHostedService<AuthenticationConfigMapWatcher>();
        services.AddHostedService<ExternalMetricsAnnouncer>();
        return services;
    }

    /// <summary>Maps the API's routes (spec §1.1), answering only on the API's listener.</summary>
    public static IEndpointConventionBuilder MapExternalMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(string.Empty).WithMetadata(new ListenerAffinity(ListenerName));
        if (endpoints.ServiceProvider.GetService<ExternalMetricsServer>() is not { } server)
        {
            return api;
        }

        // Open: the probes, OpenAPI and the 404 fallback.
        // The process's health checks (EtridHealthChecks) plus the API's own readiness, in the API's texts.
        var live = new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Live), ResponseWriter = server.WriteHealthAsync };
        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Ready) || r.Tags.Contains(HealthTags.ExternalMetricsReady), ResponseWriter = server.WriteHealthAsync };
        api.MapHealthChecks("/livez", live);
        api.MapHealthChecks("/healthz", ready);
        api.MapHealthChecks("/readyz", ready);
        // The aggregator skips OpenAPI on a 404 (and retries other errors).
        api.MapGet("/openapi/v2", server.NotFoundAsync);
        api.MapGet("/openapi/v3", server.NotFoundAsync);
        api.MapFallback("{**path}", server.NotFoundAsync);

        // Protected: each handler runs behind the gate.
        var gate = endpoints.ServiceProvider.GetRequiredService<ApiAccessGate>();
        api.MapGet("/apis", gate.Protect(server.GroupListAsync));
        api.MapGet("/apis/" + ApiJson.GroupName, gate.Protect(server.GroupAsync));
        api.MapGet("/apis/" + ApiJson.GroupVersion, gate.Protect(server.DiscoveryAsync));
        // A plain request delegate: parameter binding would compile an expression per route and cost on every request.
        api.MapGet("/apis/" + ApiJson.GroupVersion + "/namespaces/{namespace}/{metric}", gate.Protect(context =>
            server.MetricAsync(context, (string)context.Request.RouteValues["namespace"]!, (string)context.Request.RouteValues["metric"]!)));
        return api;
    }

    /// <summary>
    /// Adds the API's HTTPS listener (<c>listen</c>): the serving certificate chosen per handshake (so
    /// rotations apply at once), TLS 1.2 or 1.3, client certificates allowed and checked by the
    /// authenticator against the cluster's CAs rather than the OS store.
    /// </summary>
    public static KestrelServerOptions ListenExternalMetricsApi(this KestrelServerOptions kestrel, ExternalMetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var services = kestrel.ApplicationServices;
        options ??= services.GetService<ExternalMetricsOptions>();
        if (options is not { Enabled: true })
        {
            return kestrel;
        }

        var certificate = services.GetRequiredService<ServingCertificate>();
        if (!ListenAddress.TryParse(options.Listen, out var address, out var error))
        {
            throw new InvalidOperationException($"external_metrics.listen: {error} ({options.Listen})");
        }

        kestrel.Listen(address!.Address, address.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.TagListener(ListenerName);
            services.GetService<NamedListeners>()?.Add(ListenerName, "https", listen);
            listen.LimitConnections(ListenerLimits.ExternalMetricsConnections);
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(certificate.ServerOptions(ClientCertificates.Accepted)),
                HandshakeTimeout = ListenerLimits.HeadersTimeout,
            });
            listen.AddNosniffToRefusals();
        });
        return kestrel;
    }

    private static AuthenticationConfig FilesConfig(ExternalMetricsAuthenticationOptions auth) => new()
    {
        ClientCa = string.IsNullOrEmpty(auth.ClientCaFile) ? [] : AuthenticationConfig.LoadPemFile(auth.ClientCaFile),
        RequestHeaderCa = string.IsNullOrEmpty(auth.RequestHeaderClientCaFile) ? [] : AuthenticationConfig.LoadPemFile(auth.RequestHeaderClientCaFile),
        AllowedNames = auth.AllowedNamesOrDefault,
        UsernameHeaders = auth.UsernameHeadersOrDefault,
        GroupHeaders = auth.GroupHeadersOrDefault,
        ExtraHeaderPrefixes = auth.ExtraHeadersPrefixOrDefault,
        UidHeaders = auth.UidHeadersOrDefault,
        Source = "files",
    };
}
