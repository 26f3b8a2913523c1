using System.Text.Json;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Health;
using Etrid.Exporter.Status;

namespace Etrid.Exporter.Hosting;

/// <summary>Maps /livez, /readyz, /healthz and the status page (<see cref="StatusEndpoints"/>); readiness is the snapshot seam's verdict.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string pbc)
    {
        var source = endpoints.ServiceProvider.GetRequiredService<IChainSnapshotSource>();
        endpoints.MapGet("/livez", context => Results.Text("ok\n").ExecuteAsync(context));
        // Plain request delegates throughout: no handler here needs parameter binding, whose expression
        // compiler would load System.Linq.Expressions (a few MB resident) for nothing.
        endpoints.MapGet("/readyz", context =>
        {
            var reading = source.Read();
            return (reading.IsFresh ? Results.Text("ok\n") : Results.Text($"not ready: {reading.Reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable)).ExecuteAsync(context);
        });
        endpoints.MapGet("/healthz", context =>
        {
            var reading = source.Read();
            var health = source.Health;
            var body = JsonSerializer.Serialize(new HealthDocument(
                reading.IsFresh,
                reading.Reason,
                health.Connected,
                health.Endpoint,
                reading.Snapshot?.BlockNumber,
                reading.Age is { } age ? Math.Round(age.TotalSeconds, 1) : null,
                health.FinalizedBlock,
                health.LastError), HealthJson.Default.HealthDocument);
            return Results.Text(body, "application/json", statusCode: reading.IsFresh ? 200 : 503).ExecuteAsync(context);
        });
        endpoints.MapStatusPage(pbc);
        return endpoints;
    }
}
