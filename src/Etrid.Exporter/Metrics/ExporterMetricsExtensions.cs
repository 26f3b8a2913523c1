using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.Substrate.Rpc;
using Prometheus;

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

    /// <summary>Serves the registry at <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapExporterMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<ExporterMetrics>().Registry);
        return endpoints;
    }
}
