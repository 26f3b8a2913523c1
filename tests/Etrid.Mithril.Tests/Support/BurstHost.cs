using System.Diagnostics.Metrics;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Options;
using Etrid.Burst.Status;
using Etrid.Kubernetes;
using Etrid.Mithril.Hosting;
using Etrid.Mithril.Options;
using Etrid.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Mithril.Tests.Support;

/// <summary>A real generic host composed with <c>AddBurstController</c>, on virtual time, logging into memory.</summary>
internal sealed class BurstHost : IAsyncDisposable
{
    private BurstHost(IHost host, CapturingLoggerProvider logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public BurstStatus Status => Host.Services.GetRequiredService<IBurstStatusSource>().Current;

    public IMeterFactory Meters => Host.Services.GetRequiredService<IMeterFactory>();

    /// <summary>Starts the controller; the shared Kubernetes client from <paramref name="kubernetes"/> (default: none, standalone).</summary>
    public static async Task<BurstHost> StartAsync(MithrilAutoOptions options, IChainSnapshotSource? chain, FakeTimeProvider time, Func<string, string?>? environment = null, KubernetesAccessOptions? kubernetes = null)
    {
        var logs = new CapturingLoggerProvider();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<TimeProvider>(time);
        if (chain is not null)
        {
            builder.Services.AddSingleton(chain);
        }

        builder.Services.AddKubernetesAccess(kubernetes ?? new KubernetesAccessOptions { Mode = "none" }, environment ?? (_ => null));
        builder.Services.AddMithrilBurstController(options, environment ?? (_ => null), agentVersion: "1.0.0", randomSeed: 3);
        var host = builder.Build();
        await host.StartAsync();
        return new BurstHost(host, logs);
    }

    /// <summary>Waits until a tick at or after <paramref name="at"/> has been recorded.</summary>
    public Task WaitForTickAsync(DateTimeOffset at) =>
        Eventually.WaitAsync(() => Status.LastTick >= at, $"a burst tick at {at:O}");

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
