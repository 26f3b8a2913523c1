using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Etrid.Scaling.Probes;
using Etrid.Scaling.Telemetry;
using Etrid.Scaling.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Keda;

/// <summary>
/// Composes the KEDA external scaler into a host: <see cref="AddKedaScaler(IServiceCollection, IConfiguration, string)"/>,
/// <see cref="MapKedaScaler"/> (the gRPC service and <c>grpc.health.v1</c>, answering only on the
/// scaler's listener) and <see cref="ListenKedaScaler"/>. Needs an <see cref="IChainSnapshotSource"/>.
/// </summary>
public static class KedaScalerExtensions
{
    /// <summary>The listener name tagging the scaler's connections.</summary>
    public const string ListenerName = "keda-scaler";

    private const string CertificateKey = "keda-scaler";

    /// <summary>
    /// Adds the scaler configured by <paramref name="section"/> (<c>keda_scaler</c>): the options bind from it and are
    /// validated on start by <see cref="KedaScalerOptionsValidator"/>, whether the scaler is enabled or not. With
    /// <c>enabled: false</c> nothing else is added and the map and listen helpers do nothing.
    /// </summary>
    public static IServiceCollection AddKedaScaler(this IServiceCollection services, IConfiguration section, string pbc = "ai-compute")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptionsWithValidateOnStart<KedaScalerOptions, KedaScalerOptionsValidator>().Bind(section);
        // What to compose (TLS or not) is decided now, from the same section; the values are checked before anything is started.
        var options = section.Get<KedaScalerOptions>() ?? new KedaScalerOptions();
        return options.Enabled ? services.AddKedaScalerServices(options, pbc) : services;
    }

    /// <summary>
    /// Adds the scaler with <paramref name="options"/> given in code; throws listing every problem (by
    /// <see cref="KedaScalerOptionsValidator"/>, the rules the configured section is checked with) when they are invalid. With
    /// <c>enabled: false</c> nothing is added.
    /// </summary>
    public static IServiceCollection AddKedaScaler(this IServiceCollection services, KedaScalerOptions options, string pbc = "ai-compute")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return services;
        }

        ListenerPartServices.ThrowIfInvalid(new KedaScalerOptionsValidator(), options, "KEDA scaler");
        return services.AddKedaScalerServices(options, pbc);
    }

    private static IServiceCollection AddKedaScalerServices(this IServiceCollection services, KedaScalerOptions options, string pbc)
    {
        services.AddListenerPart(options);
        services.AddGrpc();
        // grpc.health.v1 on the process's readiness check (EtridHealthChecks): NOT_SERVING while the
        // figures are stale, as the other listeners' /readyz answer 503; the RPCs still say why.
        services.AddEtridHealthChecks();
        services.AddGrpcHealthChecks(o =>
        {
            o.UseHealthChecksCache = false;
            o.Services.Clear();
            o.Services.Map(string.Empty, r => r.Tags.Contains(HealthTags.Ready));
            o.Services.Map("externalscaler.ExternalScaler", r => r.Tags.Contains(HealthTags.Ready));
        });
        services.AddSingleton(sp => new KedaScalerService(
            sp.GetRequiredService<IChainSnapshotSource>(),
            options,
            new MetricCatalogue(pbc),
            sp.GetRequiredService<ScalingTelemetry>(),
            sp.GetRequiredService<ILogger<KedaScalerService>>()));
        if (options.Tls.Enabled)
        {
            services.AddKeyedSingleton(CertificateKey, (sp, _) => new ServingCertificate(
                "keda_scaler", options.Tls.CertFile, options.Tls.KeyFile, ["localhost"], options.Tls.ReloadInterval,
                sp.GetRequiredService<ILogger<ServingCertificate>>(), sp.GetRequiredService<TimeProvider>(), options.Tls.ClientCaFile));
        }

        services.AddHostedService(sp => new Announcer(options, sp.GetRequiredService<KedaScalerService>(), sp.GetRequiredService<ILogger<KedaScalerService>>()));
        return services;
    }

    /// <summary>Maps the gRPC service and its health service, answering only on the scaler's listener.</summary>
    public static IEndpointConventionBuilder MapKedaScaler(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty).WithMetadata(new ListenerAffinity(ListenerName));
        if (endpoints.ServiceProvider.GetService<KedaScalerService>() is null)
        {
            return group;
        }

        group.MapGrpcService<KedaScalerService>();
        group.MapGrpcHealthChecksService();
        return group;
    }

    /// <summary>
    /// Adds the scaler's listener (<c>listen</c>): HTTP/2 only in cleartext (Kestrel cannot offer
    /// HTTP/1.1 and h2c on one port without TLS), or TLS 1.2+ with HTTP/2 when a certificate is
    /// configured, with client certificates required when <c>tls.client_ca_file</c> is set.
    /// </summary>
    public static KestrelServerOptions ListenKedaScaler(this KestrelServerOptions kestrel, KedaScalerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var services = kestrel.ApplicationServices;
        options ??= services.GetService<KedaScalerOptions>();
        if (options is not { Enabled: true })
        {
            return kestrel;
        }

        if (!ListenAddress.TryParse(options.Listen, out var address, out var error))
        {
            throw new InvalidOperationException($"keda_scaler.listen: {error} ({options.Listen})");
        }

        kestrel.Listen(address!.Address, address.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.TagListener(ListenerName);
            services.GetService<NamedListeners>()?.Add(ListenerName, options.Tls.Enabled ? "https" : "http", listen);
            listen.LimitConnections(ListenerLimits.KedaScalerConnections);
            if (!options.Tls.Enabled)
            {
                return;
            }

            var certificate = services.GetRequiredKeyedService<ServingCertificate>(CertificateKey);
            var clientCertificates = string.IsNullOrEmpty(options.Tls.ClientCaFile) ? ClientCertificates.None : ClientCertificates.Required;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(certificate.ServerOptions(clientCertificates)),
                HandshakeTimeout = ListenerLimits.HeadersTimeout,
            });
        });
        return kestrel;
    }

    private sealed class Announcer(KedaScalerOptions options, KedaScalerService service, ILogger logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            KedaScalerLog.Serving(logger, options.Listen, options.Tls.Enabled ? "TLS" : "cleartext HTTP/2", string.Join(", ", service.Catalogue.Names));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
