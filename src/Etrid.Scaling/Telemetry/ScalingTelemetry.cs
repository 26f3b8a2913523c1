using System.Diagnostics.Metrics;
using Etrid.AiCompute.Telemetry;
using Etrid.Scaling.ExternalMetrics;
using Microsoft.AspNetCore.Http;

namespace Etrid.Scaling.Telemetry;

/// <summary>
/// Self-metrics of the scaling interfaces (meter <c>Etrid.Scaling</c>): answers by route and code and
/// their latency, TokenReview and SubjectAccessReview outcomes, KEDA calls by RPC and code and their
/// latency, open streams and pushes; and the last few requests of each interface for the status page.
/// The host exports the meter next to its own metrics.
/// </summary>
public sealed class ScalingTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Etrid.Scaling";

    public static readonly MetricDeclaration ApiRequestsMetric = new("etrid_external_metrics_requests_total", MetricKind.Counter, "External metrics API answers by route (discovery, data, health, other) and HTTP status code.", ["code", "route"]) { AppearsWith = "the first request" };
    public static readonly MetricDeclaration ApiDurationMetric = new("etrid_external_metrics_request_duration_seconds", MetricKind.Histogram, "External metrics API answer latency in seconds (authentication and authorization included) by route and HTTP status code.", ["code", "route"]) { AppearsWith = "the first request", Unit = "s" };
    public static readonly MetricDeclaration ReviewsMetric = new("etrid_external_metrics_reviews_total", MetricKind.Counter, "TokenReview and SubjectAccessReview outcomes (allowed, denied, error), and whether the answer came from the cache.", ["cached", "kind", "result"]) { AppearsWith = "the first review" };
    public static readonly MetricDeclaration ScalerRequestsMetric = new("etrid_keda_scaler_requests_total", MetricKind.Counter, "KEDA external scaler calls by RPC and gRPC status code.", ["code", "rpc"]) { AppearsWith = "the first call" };
    public static readonly MetricDeclaration ScalerDurationMetric = new("etrid_keda_scaler_request_duration_seconds", MetricKind.Histogram, "KEDA external scaler call latency in seconds by RPC and gRPC status code (StreamIsActive streams are long-lived and not included).", ["code", "rpc"]) { AppearsWith = "the first call", Unit = "s" };
    public static readonly MetricDeclaration StreamsMetric = new("etrid_keda_scaler_streams", MetricKind.Gauge, "StreamIsActive streams open.", []) { AppearsWith = "the first stream" };
    public static readonly MetricDeclaration PushesMetric = new("etrid_keda_scaler_pushes_total", MetricKind.Counter, "IsActive results pushed on StreamIsActive streams, by result.", ["result"]) { AppearsWith = "the first push" };

    // Caller-controlled text kept for the status page is clipped to this many characters.
    private const int MaxText = 128;
    private static readonly object StartKey = new();

    private readonly TimeProvider _time;
    private readonly Counter<long> _apiRequests;
    private readonly Histogram<double> _apiDuration;
    private readonly Counter<long> _reviews;
    private readonly Counter<long> _scalerRequests;
    private readonly Histogram<double> _scalerDuration;
    private readonly UpDownCounter<long> _streams;
    private readonly Counter<long> _pushes;

    public ScalingTelemetry(IMeterFactory meterFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        _apiRequests = meter.CreateCounter<long>(ApiRequestsMetric);
        _apiDuration = meter.CreateHistogram<double>(ApiDurationMetric);
        _reviews = meter.CreateCounter<long>(ReviewsMetric);
        _scalerRequests = meter.CreateCounter<long>(ScalerRequestsMetric);
        _scalerDuration = meter.CreateHistogram<double>(ScalerDurationMetric);
        _streams = meter.CreateUpDownCounter<long>(StreamsMetric);
        _pushes = meter.CreateCounter<long>(PushesMetric);
    }

    /// <summary>The external metrics API's last requests, newest first.</summary>
    public RecentRequests ApiRequests { get; } = new();

    /// <summary>The KEDA scaler's last calls, newest first.</summary>
    public RecentRequests ScalerRequests { get; } = new();

    /// <summary>Marks the start of handling an API request (the first mark wins), so its latency covers authentication.</summary>
    internal void ApiStarted(HttpContext context) => context.Items.TryAdd(StartKey, _time.GetTimestamp());

    internal void ApiRequest(HttpContext context, string route, int code)
    {
        var seconds = context.Items.TryGetValue(StartKey, out var start) && start is long started ? _time.GetElapsedTime(started).TotalSeconds : 0;
        var metric = context.Request.RouteValues.TryGetValue("metric", out var m) ? m as string : null;
        var identity = ApiAccessGate.UserOf(context)?.Name;
        _apiRequests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("code", code));
        _apiDuration.Record(seconds, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("code", code));
        ApiRequests.Add(new ScalingRequest(_time.GetUtcNow(), route, Clip(metric), code.ToString(System.Globalization.CultureInfo.InvariantCulture), Clip(identity), seconds));
    }

    internal void Review(string kind, string result, bool cached) =>
        _reviews.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("cached", cached));

    /// <summary>A timestamp to pass back to <see cref="ScalerRequest"/>.</summary>
    internal long Timestamp() => _time.GetTimestamp();

    internal void ScalerRequest(string rpc, string code, long started, string? metric, string? identity, bool stream = false)
    {
        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        _scalerRequests.Add(1, new KeyValuePair<string, object?>("rpc", rpc), new KeyValuePair<string, object?>("code", code));
        if (!stream)
        {
            _scalerDuration.Record(seconds, new KeyValuePair<string, object?>("rpc", rpc), new KeyValuePair<string, object?>("code", code));
        }

        ScalerRequests.Add(new ScalingRequest(_time.GetUtcNow(), rpc, Clip(metric), code, Clip(identity), seconds));
    }

    internal void StreamOpened() => _streams.Add(1);

    internal void StreamClosed() => _streams.Add(-1);

    internal void Pushed(bool active) => _pushes.Add(1, new KeyValuePair<string, object?>("result", active));

    private static string? Clip(string? text) => text is null || text.Length <= MaxText ? text : text[..MaxText] + "…";
}
