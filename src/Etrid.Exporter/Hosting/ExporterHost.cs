using Etrid.Exporter.Configuration;
using Etrid.Exporter.Metrics;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Listeners;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Exporter.Hosting;

/// <summary>The exporter's web host: only composition (<see cref="EtridExporterServiceCollectionExtensions.AddEtridExporter"/> and its builder), the listeners and the maps.</summary>
public static class ExporterHost
{
    /// <summary>Builds the host from its parts.</summary>
    /// <param name="options">The whole configuration.</param>
    /// <param name="configure">Adjusts the builder (tests add a log collector).</param>
    /// <param name="timeProvider">The clock (the system's by default).</param>
    /// <param name="environment">Reads environment variables (secrets named by the configuration, the pod's name and namespace); the process environment by default.</param>
    public static WebApplication Build(ExporterOptions options, Action<WebApplicationBuilder>? configure = null, TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LoggingSetup.Defaults });
        LoggingSetup.Configure(builder.Logging, builder.Configuration);
        builder.Services.AddSingleton(timeProvider ?? TimeProvider.System);
        builder.Services.AddEtridExporter(options, environment)
            .AddChainFollower()
            .AddExternalMetricsApi()
            .AddKedaScaler()
            .AddBurstController()
            .AddDeletionCostKeeper();

        // Each part on its own port: metrics and health (HTTP/1.1), the API (HTTPS), the scaler (HTTP/2).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (!ListenAddress.TryParse(options.Listen.Metrics, out var metrics, out var error))
            {
                throw new InvalidOperationException($"listen.metrics: {error} ({options.Listen.Metrics})");
            }

            // Untagged: the endpoints without a listener of their own (metrics, health, status) answer here only.
            kestrel.ApplyServerLimits();
            kestrel.Listen(metrics!.Address, metrics.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                kestrel.ApplicationServices.GetRequiredService<NamedListeners>().Add(MetricsListener, "http", listen);
                listen.LimitConnections(ListenerLimits.MetricsConnections);
                listen.AddNosniffToRefusals();
            });
            kestrel.ListenExternalMetricsApi(options.ExternalMetrics);
            kestrel.ListenKedaScaler(options.KedaScaler);
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseNosniffHeader();
        app.MapExporterMetrics();
        app.MapHealthEndpoints(options.Pbc);
        app.MapExternalMetricsApi();
        app.MapKedaScaler();
        return app;
    }

    /// <summary>The name of the listener of /metrics, health and the status page.</summary>
    public const string MetricsListener = "metrics";

    /// <summary>The addresses a started host listens on, by part (null for a part that is off), each as its part named it.</summary>
    public static (Uri Metrics, Uri? ExternalMetrics, Uri? KedaScaler) Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listeners = app.Services.GetRequiredService<NamedListeners>();
        return (listeners.Address(MetricsListener)!, listeners.Address(ExternalMetricsApiExtensions.ListenerName), listeners.Address(KedaScalerExtensions.ListenerName));
    }

}
