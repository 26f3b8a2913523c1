using System.Collections.Concurrent;
using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Selectors;
using Etrid.Scaling.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The request handlers of the API: discovery, data, health, and the 404 for everything else.</summary>
internal sealed class ExternalMetricsServer(
    IChainSnapshotSource source,
    ExternalMetricsOptions options,
    MetricCatalogue catalogue,
    ScalingTelemetry telemetry,
    ILogger<ExternalMetricsServer> logger)
{
    /// <summary>The route label of a request, for self-metrics.</summary>
    public static string RouteOf(HttpContext context) =>
        context.Request.RouteValues.ContainsKey("metric") ? "data" : context.Request.Path.StartsWithSegments("/apis", StringComparison.OrdinalIgnoreCase) ? "discovery" : "other";

    private const int MaxCachedSelectors = 256;

    // The HPA sends the same few selectors every 15 s: parse each once (bounded; cleared when full).
    private readonly ConcurrentDictionary<string, LabelSelector> _selectors = new(StringComparer.Ordinal);

    public MetricCatalogue Catalogue => catalogue;

    public Task DiscoveryAsync(HttpContext context)
    {
        telemetry.ApiRequest(context, "discovery", StatusCodes.Status200OK);
        return ApiJson.WriteResourceListAsync(context.Response, catalogue.Names);
    }

    public Task GroupAsync(HttpContext context)
    {
        telemetry.ApiRequest(context, "discovery", StatusCodes.Status200OK);
        return ApiJson.WriteGroupAsync(context.Response);
    }

    public Task GroupListAsync(HttpContext context)
    {
        telemetry.ApiRequest(context, "discovery", StatusCodes.Status200OK);
        return ApiJson.WriteGroupListAsync(context.Response);
    }

    public Task NotFoundAsync(HttpContext context)
    {
        telemetry.ApiStarted(context);
        telemetry.ApiRequest(context, "other", StatusCodes.Status404NotFound);
        return ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status404NotFound, "NotFound", "the server could not find the requested resource");
    }

    /// <summary>The probes' answer in the API's texts: "ok", or "not ready: " and the first failing check's reason.</summary>
    public Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        telemetry.ApiStarted(context);
        var failing = report.Entries.Values.FirstOrDefault(e => e.Status == HealthStatus.Unhealthy);
        var ok = report.Status != HealthStatus.Unhealthy;
        telemetry.ApiRequest(context, "health", context.Response.StatusCode);
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(ok ? "ok" : "not ready: " + failing.Description, context.RequestAborted);
    }

    public Task MetricAsync(HttpContext context, string @namespace, string metric)
    {
        var task = AnswerMetricAsync(context, metric);
        telemetry.ApiRequest(context, "data", context.Response.StatusCode);
        return task;
    }

    private bool TryParseSelector(string? text, out LabelSelector selector, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            selector = LabelSelector.Everything;
            return true;
        }

        if (_selectors.TryGetValue(text, out selector!))
        {
            return true;
        }

        if (!LabelSelector.TryParse(text, out selector, out error))
        {
            return false;
        }

        if (_selectors.Count >= MaxCachedSelectors)
        {
            _selectors.Clear();
        }

        _selectors[text] = selector;
        return true;
    }

    private Task AnswerMetricAsync(HttpContext context, string metric)
    {
        var query = context.Request.Query["labelSelector"];
        if (!TryParseSelector(query.Count > 0 ? query[0] : null, out var selector, out var error))
        {
            return ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status400BadRequest, "BadRequest", error!);
        }

        var answer = catalogue.Query(source.Read(options.MaxDataAge), metric, selector);
        switch (answer.Outcome)
        {
            case MetricOutcome.Ok:
                return ApiJson.WriteValueListAsync(context.Response, answer.Items, answer.Snapshot!.ObservedAt);
            case MetricOutcome.UnknownMetric:
                return ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status404NotFound, "NotFound", $"the server could not find the metric {metric.ToLowerInvariant()} for namespaces");
            case MetricOutcome.Unavailable:
                // No Retry-After: client-go would retry and stall the HPA instead of holding.
                ExternalMetricsLog.MetricUnavailable(logger, answer.MetricName, answer.Message);
                return ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", answer.Message);
            default:
                ExternalMetricsLog.InvalidValue(logger, answer.Message);
                return ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status500InternalServerError, "InternalError", answer.Message);
        }
    }
}
