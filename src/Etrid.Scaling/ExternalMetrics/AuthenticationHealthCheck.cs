using Etrid.Scaling.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The API's own readiness: it cannot authenticate callers until the authentication configuration is read.</summary>
internal sealed class AuthenticationHealthCheck(AuthenticationConfigStore authentication) : IHealthCheck
{
    public const string Name = "external_metrics_authentication";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(authentication.IsReady
            ? HealthCheckResult.Healthy("authentication configuration read")
            : HealthCheckResult.Unhealthy("waiting for ConfigMap kube-system/extension-apiserver-authentication"));
}
