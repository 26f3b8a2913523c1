using System.Diagnostics.Metrics;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Metrics;

/// <summary>Composes the Prometheus metrics into a host: <c>services.AddExporterMetrics(pbc, options)</c>, <c>endpoints.MapExporterMetrics()</c>.</summary>
public static class ExporterMetricsExtensions
{
    /// <summary>Adds <see cref="ExporterMetrics"/>, fed from the snapshot seam; <paramref name="pbc"/> labels chain-wide series.</summary>
    public static IServiceCollection AddExporterMetrics(this IServiceCollection services, string pbc, ExporterMetricsOptions? options = null)
    {
        options ??= new ExporterMetricsOptions();
        services.AddMetrics();
        services.AddSingleton(sp => new ExporterMetrics(
            pbc,
            sp.GetRequiredService<IChainSnapshotSource>(),
            sp.GetRequiredService<RpcCallStats>(),
            sp.GetRequiredService<ByteCounters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<ExporterMetrics>>()));
        services.AddSingleton(sp => new ScrapeGate(options.MaxConcurrentScrapes, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Serves the exposition at <c>/metrics</c>, in the text format or OpenMetrics as the scraper asks, from the
    /// buffers <see cref="ExporterMetrics"/> keeps; a scrape beyond the <see cref="ScrapeGate"/> is answered 503.
    /// </summary>
    public static IEndpointRouteBuilder MapExporterMetrics(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<ExporterMetrics>();
        var gate = endpoints.ServiceProvider.GetRequiredService<ScrapeGate>();
        endpoints.MapGet("/metrics", async context =>
        {
            try
            {
                using var turn = await gate.EnterAsync(context.RequestAborted);
                if (!turn.IsAcquired)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    await context.Response.WriteAsync("too many scrapes at once (metrics.max_concurrent_scrapes); try again\n", context.RequestAborted);
                    return;
                }

                var (format, contentType) = ExpositionNegotiation.Negotiate(context.Request);
                var (chain, self) = await metrics.RenderAsync(format, context.RequestAborted);
                context.Response.ContentType = contentType;
                context.Response.ContentLength = chain.Length + self.Length;
                await context.Response.Body.WriteAsync(chain, context.RequestAborted);
                await context.Response.Body.WriteAsync(self, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The scraper went away: nothing to answer.
            }
        });
        return endpoints;
    }
}
