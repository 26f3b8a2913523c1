using System.Text.Json;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.State;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Health;
using Etrid.Exporter.Metrics;
using Etrid.Substrate.Rpc;
using Prometheus;

namespace Etrid.Exporter.Hosting;

/// <summary>Builds the exporter's web host: chain client, follower, metrics, health and status page.</summary>
public static class ExporterHost
{
    public static WebApplication Build(ExporterOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseUrls(options.MetricsListen);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<ChainStatus>();
        builder.Services.AddSingleton<SnapshotStore>();
        builder.Services.AddSingleton(sp => new SubstrateClient(options.Client, sp.GetRequiredService<ILogger<SubstrateClient>>(), time));
        builder.Services.AddSingleton(sp => new ChainFollower(
            new InstrumentedRpc(sp.GetRequiredService<SubstrateClient>(), sp.GetRequiredService<ChainStatus>()),
            options.Follower,
            sp.GetRequiredService<SnapshotStore>(),
            sp.GetRequiredService<ChainStatus>(),
            sp.GetRequiredService<ILogger<ChainFollower>>(),
            time));
        builder.Services.AddSingleton(sp => new ExporterMetrics(options.Pbc, sp.GetRequiredService<SnapshotStore>(), sp.GetRequiredService<ChainStatus>(), sp.GetRequiredService<SubstrateClient>, time)
        {
            StalenessLimit = options.StalenessLimit,
        });
        builder.Services.AddHostedService<FollowerService>();

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<ExporterMetrics>();
        var store = app.Services.GetRequiredService<SnapshotStore>();
        var status = app.Services.GetRequiredService<ChainStatus>();
        (bool Ready, string Reason) Evaluate() => Readiness.Evaluate(store.Current, status, time.GetUtcNow(), options.StalenessLimit);

        app.MapMetrics("/metrics", metrics.Registry);
        app.MapGet("/livez", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () =>
        {
            var (ready, reason) = Evaluate();
            return ready ? Results.Text("ok\n") : Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/healthz", () =>
        {
            var (ready, reason) = Evaluate();
            var snapshot = store.Current;
            var body = JsonSerializer.Serialize(new HealthDocument(
                ready,
                reason,
                status.Connected,
                status.Endpoint,
                snapshot?.BlockNumber,
                snapshot is null ? null : Math.Round(snapshot.Age(time.GetUtcNow()).TotalSeconds, 1),
                status.FinalizedHeadBlock >= 0 ? status.FinalizedHeadBlock : null,
                status.LastError), HealthJson.Default.HealthDocument);
            return Results.Text(body, "application/json", statusCode: ready ? 200 : 503);
        });
        app.MapGet("/", () => Results.Content(StatusPage.Render(store.Current, status, time.GetUtcNow(), options.StalenessLimit, options.Pbc), "text/html; charset=utf-8"));
        return app;
    }
}
