using Etrid.Scaling.Authentication;
using Etrid.Scaling.Authorization;
using Etrid.Scaling.Telemetry;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>
/// Stands before each protected route of the API: authenticates the caller (<see cref="RequestAuthenticator"/>),
/// authorizes the request (<see cref="AccessReviewer"/>: metric reads as resources, everything else as
/// non-resource paths), and answers 401 or 403 as a <c>Status</c> without ever running the handler.
/// </summary>
/// <remarks>
/// A direct wrapper rather than ASP.NET Core's authentication and authorization middleware: those
/// resolve a handler, build a principal and evaluate a policy on every request, a third of what the
/// data route costs beside a bare endpoint, for a decision that both components already cache.
/// </remarks>
internal sealed class ApiAccessGate(
    RequestAuthenticator authenticator,
    AccessReviewer reviewer,
    ScalingTelemetry telemetry,
    ILogger<ApiAccessGate> logger)
{
    private static readonly object UserKey = new();

    /// <summary>The caller identified for this request, or null.</summary>
    public static KubernetesUser? UserOf(HttpContext context) => context.Items.TryGetValue(UserKey, out var user) ? user as KubernetesUser : null;

    /// <summary>Wraps <paramref name="handler"/> so that it runs only for an authenticated, authorized caller.</summary>
    public RequestDelegate Protect(RequestDelegate handler) => context => InvokeAsync(context, handler);

    private async Task InvokeAsync(HttpContext context, RequestDelegate handler)
    {
        telemetry.ApiStarted(context);
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
        var outcome = await authenticator.AuthenticateAsync(certificate, context.Request.Headers, context.Features.Get<IConnectionItemsFeature>()?.Items, context.RequestAborted).ConfigureAwait(false);
        if (outcome.User is not { } user)
        {
            var reason = outcome.Failure ?? "not authenticated";
            ExternalMetricsLog.Unauthenticated(logger, context.Request.Path, reason);
            telemetry.ApiRequest(context, ExternalMetricsServer.RouteOf(context), StatusCodes.Status401Unauthorized);
            await ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized: " + reason).ConfigureAwait(false);
            return;
        }

        context.Items[UserKey] = user;
        var decision = await reviewer.ReviewAsync(user, AttributesOf(context), context.RequestAborted).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            ExternalMetricsLog.Forbidden(logger, user.Name, context.Request.Path, decision.Reason);
            telemetry.ApiRequest(context, ExternalMetricsServer.RouteOf(context), StatusCodes.Status403Forbidden);
            await ApiJson.WriteStatusAsync(context.Response, StatusCodes.Status403Forbidden, "Forbidden", $"user \"{user.Name}\" cannot access {context.Request.Path}: {decision.Reason}").ConfigureAwait(false);
            return;
        }

        await handler(context).ConfigureAwait(false);
    }

    private static AccessAttributes AttributesOf(HttpContext context) =>
        context.Request.RouteValues["metric"] is string metric && context.Request.RouteValues["namespace"] is string ns
            ? AccessAttributes.ForMetric(metric.ToLowerInvariant(), ns)
            : AccessAttributes.ForPath(context.Request.Path.Value ?? "/");
}
