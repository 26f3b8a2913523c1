using System.Net;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Exporter.Tests.Status;

/// <summary>The status page alone on a loopback port (127.0.0.1), fed by the given snapshot source.</summary>
internal static class StatusPageHost
{
    public static async Task<WebApplication> StartAsync(IChainSnapshotSource hub, TimeProvider time, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapStatusPage("ai-compute");
        await app.StartAsync();
        return app;
    }
}
