using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>Log events of the external metrics API (ids 400–499; 401–404 are the serving certificate's).</summary>
internal static partial class ExternalMetricsLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "external_metrics: serving external.metrics.k8s.io/v1beta1 ({Metrics}); Kubernetes API: {KubernetesApi}")]
    public static partial void Serving(ILogger logger, string metrics, string kubernetesApi);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "external_metrics: no way to authenticate callers is configured (no Kubernetes API, client_ca_file, requestheader_client_ca_file or token_file): every request for data is refused with 401")]
    public static partial void NoAuthentication(ILogger logger);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "external_metrics: authentication.allow_anonymous is on: callers without credentials are served as system:anonymous (development only)")]
    public static partial void AnonymousAllowed(ILogger logger);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "external_metrics: no Kubernetes API for SubjectAccessReview: every authenticated caller may read every metric (standalone mode)")]
    public static partial void StandaloneAuthorization(ILogger logger);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "external_metrics: {Count} static tokens loaded from {File}")]
    public static partial void StaticTokensLoaded(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "external_metrics: authentication configuration from {Source}: {ClientCas} client CAs, {RequestHeaderCas} request-header CAs, allowed names [{AllowedNames}]")]
    public static partial void ClusterAuthLoaded(ILogger logger, string source, int clientCas, int requestHeaderCas, string allowedNames);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "external_metrics: cannot read or watch ConfigMap kube-system/extension-apiserver-authentication (retrying in {Delay}): {Error}")]
    public static partial void ClusterAuthFailed(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "external_metrics: TokenReview failed: {Error}")]
    public static partial void TokenReviewFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "external_metrics: SubjectAccessReview for {User} failed, refusing: {Error}")]
    public static partial void SubjectAccessReviewFailed(ILogger logger, string user, string error);

    [LoggerMessage(EventId = 413, Level = LogLevel.Debug, Message = "external_metrics: 401 for {Path}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 414, Level = LogLevel.Debug, Message = "external_metrics: 403 for {User} on {Path}: {Reason}")]
    public static partial void Forbidden(ILogger logger, string user, string path, string reason);

    [LoggerMessage(EventId = 415, Level = LogLevel.Debug, Message = "external_metrics: {Metric} unavailable: {Reason}")]
    public static partial void MetricUnavailable(ILogger logger, string metric, string reason);

    [LoggerMessage(EventId = 416, Level = LogLevel.Warning, Message = "external_metrics: {Reason}")]
    public static partial void InvalidValue(ILogger logger, string reason);
}
