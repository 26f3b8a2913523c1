using Etrid.Burst.Telemetry;
using Microsoft.Extensions.Hosting;

namespace Etrid.Burst.Hosting;

/// <summary>Creates the <c>Etrid.Burst</c> instruments when the host starts, so they exist before the first scrape even when the controller is off.</summary>
internal sealed class BurstTelemetryActivator(BurstMetrics metrics) : IHostedService
{
    /// <summary>The instruments (held so they live as long as the host).</summary>
    public BurstMetrics Metrics { get; } = metrics;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
