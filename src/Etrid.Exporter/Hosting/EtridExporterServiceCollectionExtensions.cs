using Etrid.Exporter.Configuration;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Status.History;
using Etrid.Scaling.Listeners;
using Etrid.Scaling.Probes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Hosting;

/// <summary><c>services.AddEtridExporter(options)</c>: the exporter's core (metrics, health, status), then its parts through the builder.</summary>
public static class EtridExporterServiceCollectionExtensions
{
    /// <summary>
    /// Adds the configuration (validated on start by <see cref="ExporterConfiguration.Validate"/>, exactly what
    /// <c>check-config</c> runs), the named listeners and /metrics; returns the builder that adds the parts.
    /// </summary>
    public static EtridExporterBuilder AddEtridExporter(this IServiceCollection services, ExporterOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        services.AddSingleton(options);
        // The options framework hands out the loaded instance itself (no copy to keep in step with the sections),
        // checked on start by the one validation check-config runs.
        services.AddSingleton<IOptionsFactory<ExporterOptions>>(new StartupValidation(options, environment));
        services.AddOptions<ExporterOptions>().ValidateOnStart();
        services.TryAddSingleton<NamedListeners>();
        services.AddExporterMetrics(options.Pbc, options.Metrics);
        services.AddStatusHistory();
        services.AddEtridHealthChecks();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<NativeHeapTrimmer>();
        return new EtridExporterBuilder(services, options, environment);
    }

    // The one validation both verbs run: serve on start, check-config on load.
    private sealed class StartupValidation(ExporterOptions options, Func<string, string?> environment) : IOptionsFactory<ExporterOptions>
    {
        public ExporterOptions Create(string name)
        {
            var problems = ExporterConfiguration.Validate(options, environment).ToList();
            return problems.Count == 0 ? options : throw new OptionsValidationException(name, typeof(ExporterOptions), problems);
        }
    }
}
