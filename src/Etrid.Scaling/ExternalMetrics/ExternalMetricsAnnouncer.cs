using Etrid.Kubernetes;
using Etrid.Scaling.Authentication;
using Etrid.Scaling.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>Says at start what is served and warns about weak set-ups (nothing to authenticate with, anonymous, standalone authorization).</summary>
internal sealed class ExternalMetricsAnnouncer(
    ExternalMetricsServer server,
    ExternalMetricsOptions options,
    KubernetesAccess kubernetes,
    RequestAuthenticator authenticator,
    AccessReviewer reviewer,
    ILogger<ExternalMetricsAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ExternalMetricsLog.Serving(logger, string.Join(", ", server.Catalogue.Names), kubernetes.Description);
        if (!authenticator.CanAuthenticate)
        {
            ExternalMetricsLog.NoAuthentication(logger);
        }

        if (options.Authentication.AllowAnonymous)
        {
            ExternalMetricsLog.AnonymousAllowed(logger);
        }

        if (!reviewer.IsDelegated)
        {
            ExternalMetricsLog.StandaloneAuthorization(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
