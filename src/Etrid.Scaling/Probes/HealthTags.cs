namespace Etrid.Scaling.Probes;

/// <summary>The tags every listener's probes filter the one set of health checks by.</summary>
public static class HealthTags
{
    /// <summary>The process serves: /livez.</summary>
    public const string Live = "live";

    /// <summary>The figures are fresh: /readyz, /healthz and gRPC health.</summary>
    public const string Ready = "ready";

    /// <summary>The external metrics API can authenticate callers: its own /readyz and /healthz besides <see cref="Ready"/>.</summary>
    public const string ExternalMetricsReady = "external_metrics_ready";
}
