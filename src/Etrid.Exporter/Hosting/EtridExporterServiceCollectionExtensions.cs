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
        services.AddSingleton<IValidateOptions<ExporterOptions>>(new StartupValidation(environment));
        services.AddOptions<ExporterOptions>().Configure(o => ExporterConfiguration.CopyTo(options, o)).ValidateOnStart();
        services.TryAddSingleton<NamedListeners>();
        services.AddExporterMetrics(options.Pbc, options.Metrics);
        services.AddStatusHistory();
        services.AddEtridHealthChecks();
        return new EtridExporterBuilder(services, options, environment);
    }

    // The one validation both verbs run: serve on start, check-config on load.
    private sealed class StartupValidation(Func<string, string?> environment) : IValidateOptions<ExporterOptions>
    {
        public ValidateOptionsResult Validate(string? name, ExporterOptions options)
        {
            var problems = ExporterConfiguration.Validate(options, environment).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
