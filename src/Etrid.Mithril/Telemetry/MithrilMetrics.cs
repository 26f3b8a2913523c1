using System.Diagnostics.Metrics;
using Etrid.AiCompute.Telemetry;
using Etrid.Mithril.Api;
using Microsoft.Extensions.Hosting;

namespace Etrid.Mithril.Telemetry;

/// <summary>
/// The meter <c>Etrid.Mithril</c>: the Mithril client's calls by operation and outcome, read from its statistics at
/// collection time. Registered with the Mithril market, so the series exist only while the controller bursts there;
/// a hosted part so the instruments are made when the host starts, before the first scrape.
/// </summary>
public sealed class MithrilMetrics : IHostedService, IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Mithril";

    public static readonly MetricDeclaration MithrilRequests = new("etrid_mithril_requests_total", MetricKind.Counter, "Mithril API requests per attempt by operation and outcome (the HTTP status, timeout or network)", ["operation", "outcome"]);
    public static readonly MetricDeclaration MithrilSeconds = new("etrid_mithril_request_duration_seconds_total", MetricKind.Counter, "Total seconds of Mithril API requests by operation and outcome", ["operation", "outcome"]);

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="calls">The client's call statistics.</param>
    public MithrilMetrics(IMeterFactory meterFactory, MithrilCallStats calls)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(calls);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter(MithrilRequests, () => calls.Snapshot().Select(c => MithrilRequests.Measure(c.Count, c.Operation, c.Outcome)));
        _meter.CreateObservableCounter(MithrilSeconds, () => calls.Snapshot().Select(c => MithrilSeconds.Measure(c.Seconds, c.Operation, c.Outcome)));
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
