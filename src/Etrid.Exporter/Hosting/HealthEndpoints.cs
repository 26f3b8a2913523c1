using System.Text.Json;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Health;
using Etrid.Exporter.Status;
using Etrid.Scaling.Probes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Etrid.Exporter.Hosting;

/// <summary>
/// Maps /livez, /readyz, /healthz over the process's health checks (<see cref="EtridHealthChecks"/>, by tag)
/// and the status page (<see cref="StatusEndpoints"/>), on the metrics listener.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string pbc)
    {
        var source = endpoints.ServiceProvider.GetRequiredService<IChainSnapshotSource>();
        endpoints.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Live), ResponseWriter = WriteTextAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Ready), ResponseWriter = WriteTextAsync });
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Ready),
            ResponseWriter = (context, report) => WriteDocumentAsync(context, report, source),
        });
        endpoints.MapStatusPage(pbc);
        return endpoints;
    }

    private static Task WriteTextAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? $"not ready: {FirstFailure(report)}\n" : "ok\n", context.RequestAborted);
    }

    // The verdict and its reason come from the checks; the details around it from the seam's last reading.
    private static Task WriteDocumentAsync(HttpContext context, HealthReport report, IChainSnapshotSource source)
    {
        var reading = source.Read();
        var health = source.Health;
        var ready = report.Status != HealthStatus.Unhealthy;
        var body = JsonSerializer.Serialize(new HealthDocument(
            ready,
            ready ? reading.Reason : FirstFailure(report),
            health.Connected,
            health.Endpoint,
            reading.Snapshot?.BlockNumber,
            reading.Age is { } age ? Math.Round(age.TotalSeconds, 1) : null,
            health.FinalizedBlock,
            health.LastError), HealthJson.Default.HealthDocument);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static string FirstFailure(HealthReport report) =>
        report.Entries.Values.FirstOrDefault(e => e.Status == HealthStatus.Unhealthy).Description ?? "unhealthy";
}
