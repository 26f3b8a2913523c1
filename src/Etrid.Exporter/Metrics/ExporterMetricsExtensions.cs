using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Metrics;

/// <summary>Composes the Prometheus metrics into a host: <c>services.AddExporterMetrics(pbc)</c>, <c>endpoints.MapExporterMetrics()</c>.</summary>
public static class ExporterMetricsExtensions
{
    /// <summary>Adds <see cref="ExporterMetrics"/>, fed from the snapshot seam; <paramref name="pbc"/> labels chain-wide series.</summary>
    public static IServiceCollection AddExporterMetrics(this IServiceCollection services, string pbc)
    {
        services.AddSingleton(sp => new ExporterMetrics(
            pbc,
            sp.GetRequiredService<IChainSnapshotSource>(),
            sp.GetRequiredService<RpcCallStats>(),
            sp.GetRequiredService<ByteCounters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ExporterMetrics>>()));
        return services;
    }

    /// <summary>Serves the exposition at <c>/metrics</c>, in the text format or OpenMetrics as the scraper asks.</summary>
    public static IEndpointRouteBuilder MapExporterMetrics(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<ExporterMetrics>();
        endpoints.MapGet("/metrics", async context =>
        {
            var (format, contentType) = ExpositionNegotiation.Negotiate(context.Request);
            context.Response.ContentType = contentType;
            try
            {
                await metrics.WriteAsync(context.Response.Body, format, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The scraper went away: nothing to answer.
            }
        });
        return endpoints;
    }
}
