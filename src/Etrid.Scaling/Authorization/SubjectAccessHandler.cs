using Etrid.Scaling.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Etrid.Scaling.Authorization;

/// <summary>Checks <see cref="SubjectAccessRequirement"/>: metric reads as resources, everything else as non-resource paths.</summary>
internal sealed class SubjectAccessHandler(AccessReviewer reviewer) : AuthorizationHandler<SubjectAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SubjectAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || ExternalMetricsAuthenticationHandler.UserOf(http) is not { } user)
        {
            context.Fail();
            return;
        }

        var metric = http.Request.RouteValues["metric"] as string;
        var ns = http.Request.RouteValues["namespace"] as string;
        var attributes = metric is not null && ns is not null
            ? AccessAttributes.ForMetric(metric.ToLowerInvariant(), ns)
            : AccessAttributes.ForPath(http.Request.Path.Value ?? "/");
        var decision = await reviewer.ReviewAsync(user, attributes, http.RequestAborted).ConfigureAwait(false);
        if (decision.Allowed)
        {
            context.Succeed(requirement);
        }
        else
        {
            ExternalMetricsAuthenticationHandler.SetForbiddenReason(http, decision.Reason);
            context.Fail(new AuthorizationFailureReason(this, decision.Reason));
        }
    }
}
