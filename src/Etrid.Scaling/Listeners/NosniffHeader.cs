using Microsoft.AspNetCore.Builder;

namespace Etrid.Scaling.Listeners;

/// <summary>Every answer of the application carries <c>X-Content-Type-Options: nosniff</c>, whatever its listener or status.</summary>
public static class NosniffHeader
{
    /// <summary>Sets the header on every response before the endpoint runs (the endpoint may not change it).</summary>
    public static IApplicationBuilder UseNosniffHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
}
