using System.Diagnostics.Metrics;

namespace Etrid.Scaling.Telemetry;

/// <summary>
/// Self-metrics of the scaling interfaces (meter <c>Etrid.Scaling</c>): answers by route and code,
/// TokenReview and SubjectAccessReview outcomes, KEDA calls by RPC and code, open streams and pushes.
/// The host exports the meter next to its own metrics.
/// </summary>
public sealed class ScalingTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Scaling";

    private readonly Counter<long> _apiRequests;
    private readonly Counter<long> _reviews;
    private readonly Counter<long> _scalerRequests;
    private readonly UpDownCounter<long> _streams;
    private readonly Counter<long> _pushes;

    public ScalingTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _apiRequests = meter.CreateCounter<long>("etrid_external_metrics_requests_total", description: "External metrics API answers by route (discovery, data, health, other) and HTTP status code.");
        _reviews = meter.CreateCounter<long>("etrid_external_metrics_reviews_total", description: "TokenReview and SubjectAccessReview outcomes (allowed, denied, error), and whether the answer came from the cache.");
        _scalerRequests = meter.CreateCounter<long>("etrid_keda_scaler_requests_total", description: "KEDA external scaler calls by RPC and gRPC status code.");
        _streams = meter.CreateUpDownCounter<long>("etrid_keda_scaler_streams", description: "StreamIsActive streams open.");
        _pushes = meter.CreateCounter<long>("etrid_keda_scaler_pushes_total", description: "IsActive results pushed on StreamIsActive streams, by result.");
    }

    internal void ApiRequest(string route, int code) =>
        _apiRequests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("code", code));

    internal void Review(string kind, string result, bool cached) =>
        _reviews.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("cached", cached));

    internal void ScalerRequest(string rpc, string code) =>
        _scalerRequests.Add(1, new KeyValuePair<string, object?>("rpc", rpc), new KeyValuePair<string, object?>("code", code));

    internal void StreamOpened() => _streams.Add(1);

    internal void StreamClosed() => _streams.Add(-1);

    internal void Pushed(bool active) => _pushes.Add(1, new KeyValuePair<string, object?>("result", active));
}
