using Etrid.Exporter.Configuration;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Status.History;
using Etrid.Kubernetes;
using Etrid.Scaling.Listeners;
using Etrid.Scaling.Probes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Etrid.Exporter.Hosting;

/// <summary><c>services.AddEtridExporter(configuration)</c>: the exporter's core (metrics, health, status), then its parts through the builder.</summary>
public static class EtridExporterServiceCollectionExtensions
{
    /// <summary>
    /// Adds the exporter's own sections (the top-level keys, <c>listen</c>, <c>metrics</c>, <c>kubernetes</c>), each bound
    /// and validated on start by its generated validator, the named listeners, /metrics and the one Kubernetes client
    /// every part shares; returns the builder that adds the parts.
    /// <see cref="ConfigurationCheck"/> runs the same start-up validation on demand (<c>check-config</c>).
    /// </summary>
    public static EtridExporterBuilder AddEtridExporter(this IServiceCollection services, IConfiguration configuration, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var top = configuration.Get<ExporterOptions>() ?? new ExporterOptions();
        var builder = new EtridExporterBuilder(services, configuration, top.Pbc, environment ?? Environment.GetEnvironmentVariable);
        builder.AddSection(string.Empty, new ExporterOptionsValidator());
        builder.AddSection(ListenOptions.SectionName, new ListenOptionsValidator());
        var metrics = builder.AddSection(ExporterMetricsOptions.SectionName, new ExporterMetricsOptionsValidator());
        // Once for every part: each part's own call then finds the client registered.
        services.AddKubernetesAccess(configuration.GetSection(KubernetesAccessOptions.SectionName), builder.Environment);
        services.TryAddSingleton<NamedListeners>();
        services.AddExporterMetrics(top.Pbc, metrics);
        services.AddStatusHistory();
        services.AddEtridHealthChecks();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<NativeHeapTrimmer>();
        return builder;
    }
}
