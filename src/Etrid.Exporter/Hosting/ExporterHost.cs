using Etrid.AiCompute.Hosting;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.DeletionCost;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Status;
using Etrid.Exporter.Status.History;
using Etrid.Mithril.Hosting;
using Etrid.Mithril.Status;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Listeners;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Exporter.Hosting;

/// <summary>Composes the exporter's web host from its parts; each part is added with one extension method.</summary>
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
        builder.Services.AddOptions<ExporterOptions>().Configure(o => Copy(options, o)).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ExporterOptions>, ExporterOptionsValidator>();

        builder.Services.AddChainFollower(options.Chain.ToClientOptions(), options.Chain.ToFollowerOptions(), options.Chain.StalenessLimit);
        builder.Services.AddExporterMetrics(options.Pbc, options.Metrics);
        builder.Services.AddExternalMetricsApi(options.ExternalMetrics, options.Pbc);
        builder.Services.AddKedaScaler(options.KedaScaler, options.Pbc);
        builder.Services.AddBurstController(options.MithrilAuto, environment);
        builder.Services.AddStatusSection("burst", sp =>
        {
            var burst = sp.GetRequiredService<IBurstStatusSource>();
            return () => burst.Current;
        });
        builder.Services.AddStatusHistory();
        builder.Services.AddDeletionCostKeeper(options.DeletionCost, options.MithrilAuto, environment);

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
                listen.LimitConnections(ListenerLimits.MetricsConnections);
            });
            kestrel.ListenExternalMetricsApi(options.ExternalMetrics);
            kestrel.ListenKedaScaler(options.KedaScaler);
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapExporterMetrics();
        app.MapHealthEndpoints(options.Pbc);
        app.MapExternalMetricsApi();
        app.MapKedaScaler();
        return app;
    }

    /// <summary>The addresses a started host listens on, by part (null for a part that is off).</summary>
    public static (Uri Metrics, Uri? ExternalMetrics, Uri? KedaScaler) Addresses(WebApplication app, ExporterOptions options)
    {
        // Kestrel reports bound addresses in the order the listeners were added above.
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal))).ToList();
        var metrics = bound[0];
        var next = 1;
        Uri? api = options.ExternalMetrics.Enabled ? bound[next++] : null;
        Uri? scaler = options.KedaScaler.Enabled ? bound[next] : null;
        return (metrics, api, scaler);
    }

    private static void Copy(ExporterOptions from, ExporterOptions to)
    {
        to.Pbc = from.Pbc;
        to.Chain = from.Chain;
        to.Listen = from.Listen;
        to.Metrics = from.Metrics;
        to.ExternalMetrics = from.ExternalMetrics;
        to.KedaScaler = from.KedaScaler;
        to.MithrilAuto = from.MithrilAuto;
        to.DeletionCost = from.DeletionCost;
        to.RpcUrl = from.RpcUrl;
        to.WebsocketUrl = from.WebsocketUrl;
    }
}
