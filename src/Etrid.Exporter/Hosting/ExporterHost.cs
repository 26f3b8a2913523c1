using Etrid.AiCompute.Hosting;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Metrics;

namespace Etrid.Exporter.Hosting;

/// <summary>Composes the exporter's web host from its parts; each part is added with one extension method.</summary>
public static class ExporterHost
{
    /// <summary>Builds the host; <paramref name="configure"/> may adjust the builder (tests add a log collector).</summary>
    public static WebApplication Build(ExporterOptions options, Action<WebApplicationBuilder>? configure = null, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LoggingSetup.Defaults });
        LoggingSetup.Configure(builder.Logging, builder.Configuration);
        builder.WebHost.UseUrls(options.Listen.Metrics);
        builder.Services.AddSingleton(timeProvider ?? TimeProvider.System);
        builder.Services.AddOptions<ExporterOptions>().Configure(o => Copy(options, o)).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ExporterOptions>, ExporterOptionsValidator>();

        builder.Services.AddChainFollower(options.Chain.ToClientOptions(), options.Chain.ToFollowerOptions(), options.Chain.StalenessLimit);
        builder.Services.AddExporterMetrics(options.Pbc);

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapExporterMetrics();
        app.MapHealthEndpoints(options.Pbc);
        return app;
    }

    private static void Copy(ExporterOptions from, ExporterOptions to)
    {
        to.Pbc = from.Pbc;
        to.Chain = from.Chain;
        to.Listen = from.Listen;
    }
}
