using Etrid.AiCompute.Follower;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Configuration;

/// <summary>The exporter's whole configuration, bound from YAML and environment variables.</summary>
public sealed class ExporterOptions
{
    /// <summary>The <c>pbc</c> label on chain-wide metrics. Default <c>ai-compute</c>.</summary>
    public string Pbc { get; init; } = "ai-compute";

    public required SubstrateClientOptions Client { get; init; }

    public required FollowerOptions Follower { get; init; }

    /// <summary>Beyond this age of the last finalized block, data is stale: /readyz fails, consumers refuse it. Default 60 s.</summary>
    public TimeSpan StalenessLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where /metrics, health and the status page are served. Default <c>http://0.0.0.0:9090</c>.</summary>
    public string MetricsListen { get; init; } = "http://0.0.0.0:9090";
}
