using Etrid.Exporter.Configuration;
using Etrid.Exporter.Metrics;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Scaling.Listeners;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Hosting;

/// <summary>The exporter's web host: only composition (<see cref="EtridExporterServiceCollectionExtensions.AddEtridExporter"/> and its builder), the listeners and the maps.</summary>
public static class ExporterHost
{
    /// <summary>
    /// Builds the host from its parts after running their start-up validation (<see cref="ConfigurationCheck"/>, what
    /// <c>StartAsync</c> runs) on its services, so no part or listener is set up from an invalid section.
    /// </summary>
    /// <exception cref="InvalidConfigurationException">A section failed its validation; every problem is listed.</exception>
    /// <param name="configuration">The whole configuration (<see cref="ExporterConfiguration.Load"/> or <see cref="ExporterConfiguration.FromValues"/>).</param>
    /// <param name="configure">Adjusts the builder (tests add a log collector).</param>
    /// <param name="timeProvider">The clock (the system's by default).</param>
    /// <param name="environment">Reads environment variables (secrets named by the configuration, the pod's name and namespace); the process environment by default.</param>
    public static WebApplication Build(IConfiguration configuration, Action<WebApplicationBuilder>? configure = null, TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (builder, pbc) = Compose(configuration, timeProvider, environment);
        configure?.Invoke(builder);

        // Before Build: building the web application already sets up the listeners (certificates included).
        using (var check = builder.Services.BuildServiceProvider())
        {
            if (ConfigurationCheck.Run(check) is { Count: > 0 } problems)
            {
                throw new InvalidConfigurationException(problems);
            }
        }

        var app = builder.Build();
        app.UseNosniffHeader();
        app.MapExporterMetrics();
        app.MapHealthEndpoints(pbc);
        app.MapExternalMetricsApi();
        app.MapKedaScaler();
        return app;
    }

    /// <summary>
    /// Loads the configuration (<see cref="ExporterConfiguration.Load"/>), composes the host's services from it as
    /// <see cref="Build"/> does and runs their start-up validation, without building or starting anything else: the
    /// checked configuration (its options as the parts would get them), or null and every problem (the file's keys
    /// and the parts' values together). <c>check-config</c> stops here; <c>serve</c> comes here first, so the two
    /// give a file the same verdict in the same lines.
    /// </summary>
    /// <param name="yamlPath">The YAML file; null for none.</param>
    /// <param name="environment">The environment: <c>ETRID_*</c> overrides, <c>${VAR}</c> values, secrets named by variables.</param>
    public static (CheckedConfiguration? Checked, IReadOnlyList<string> Problems) Check(string? yamlPath, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (configuration, loaded) = ExporterConfiguration.Load(yamlPath, environment);
        var problems = loaded.ToList();
        if (configuration is null)
        {
            return (null, problems);
        }

        var (builder, _) = Compose(configuration, null, name => environment.TryGetValue(name, out var value) ? value : null);
        var services = builder.Services.BuildServiceProvider();
        problems.AddRange(ConfigurationCheck.Run(services));
        if (problems.Count == 0)
        {
            return (new CheckedConfiguration(configuration, services), problems);
        }

        services.Dispose();
        return (null, problems);
    }

    // The host's services and listeners, every part from its own section; nothing is resolved yet.
    private static (WebApplicationBuilder Builder, string Pbc) Compose(IConfiguration configuration, TimeProvider? timeProvider, Func<string, string?>? environment)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LoggingSetup.Defaults });
        LoggingSetup.Configure(builder.Logging, builder.Configuration);
        builder.Services.AddSingleton(timeProvider ?? TimeProvider.System);
        var exporter = builder.Services.AddEtridExporter(configuration, environment);
        exporter
            .AddChainFollower()
            .AddExternalMetricsApi()
            .AddKedaScaler()
            .AddBurstController()
            .AddDeletionCostKeeper();

        // Each part on its own port: metrics and health (HTTP/1.1), the API (HTTPS), the scaler (HTTP/2).
        // Run when the web application is built, which Build does only after the start-up validation passed.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var section = kestrel.ApplicationServices.GetRequiredService<IOptions<Configuration.ListenOptions>>().Value;
            if (!ListenAddress.TryParse(section.Metrics, out var metrics, out var error))
            {
                throw new InvalidOperationException($"listen.metrics: {error} ({section.Metrics})");
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
            kestrel.ListenExternalMetricsApi();
            kestrel.ListenKedaScaler();
        });

        return (builder, exporter.Pbc);
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
