using System.Security.Claims;
using System.Text.Encodings.Web;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Listeners;
using Etrid.Scaling.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// The API's authentication scheme: <see cref="RequestAuthenticator"/> behind ASP.NET Core's
/// authentication, answering challenges with a 401 and forbidden requests with a 403 <c>Status</c>.
/// </summary>
internal sealed class ExternalMetricsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    RequestAuthenticator authenticator,
    ScalingTelemetry telemetry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "etrid-external-metrics";
    private static readonly object UserKey = new();
    private static readonly object FailureKey = new();
    private static readonly object ForbiddenKey = new();

    /// <summary>The caller identified for this request, or null.</summary>
    public static KubernetesUser? UserOf(HttpContext context) => context.Items.TryGetValue(UserKey, out var user) ? user as KubernetesUser : null;

    /// <summary>Records why authorization refused the request (for the 403 body).</summary>
    public static void SetForbiddenReason(HttpContext context, string reason) => context.Items[ForbiddenKey] = reason;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // A lone scheme becomes the host's default: never look at requests on other ports
        // (a bearer token sent to /metrics must not reach TokenReview).
        if (ListenerTagging.ListenerOf(Context) != ExternalMetricsApiExtensions.ListenerName)
        {
            return AuthenticateResult.NoResult();
        }

        telemetry.ApiStarted(Context);
        var certificate = Context.Connection.ClientCertificate ?? await Context.Connection.GetClientCertificateAsync(Context.RequestAborted).ConfigureAwait(false);
        var outcome = await authenticator.AuthenticateAsync(certificate, Request.Headers, Context.Features.Get<IConnectionItemsFeature>()?.Items, Context.RequestAborted).ConfigureAwait(false);
        if (outcome.User is not { } user)
        {
            Context.Items[FailureKey] = outcome.Failure;
            return AuthenticateResult.Fail(outcome.Failure ?? "not authenticated");
        }

        Context.Items[UserKey] = user;
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new("k8s:method", outcome.Method) };
        claims.AddRange(user.Groups.Select(g => new Claim(ClaimTypes.GroupSid, g)));
        if (user.Uid is not null)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, user.Uid));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items.TryGetValue(FailureKey, out var f) && f is string s ? s : "not authenticated";
        ExternalMetricsLog.Unauthenticated(Logger, Request.Path, reason);
        telemetry.ApiRequest(Context, ExternalMetricsServer.RouteOf(Context), StatusCodes.Status401Unauthorized);
        return ApiJson.WriteStatusAsync(Response, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized: " + reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var user = UserOf(Context)?.Name ?? "unknown";
        var reason = Context.Items.TryGetValue(ForbiddenKey, out var f) && f is string s ? s : "forbidden";
        ExternalMetricsLog.Forbidden(Logger, user, Request.Path, reason);
        telemetry.ApiRequest(Context, ExternalMetricsServer.RouteOf(Context), StatusCodes.Status403Forbidden);
        return ApiJson.WriteStatusAsync(Response, StatusCodes.Status403Forbidden, "Forbidden", $"user \"{user}\" cannot access {Request.Path}: {reason}");
    }
}
