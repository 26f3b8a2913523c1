using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Hosting;
using Etrid.Exporter.Metrics;
using Etrid.Kubernetes;
using Etrid.Mithril.Options;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The configuration file's sections, each owned by one part (which binds and validates it), in the order the
/// reference and <c>check-config</c> print them. The schema of the file: unknown keys and values of the wrong kind
/// are found against it before anything is bound, and validation failures are named by its keys.
/// </summary>
public static class ExporterSections
{
    /// <summary>The top-level keys (<c>pbc</c> and the seed's endpoint aliases).</summary>
    public static OptionsSection TopLevel { get; } = new(string.Empty, "The top-level keys.", [typeof(ExporterOptions)]);

    /// <summary>Every section, the top level first.</summary>
    public static IReadOnlyList<OptionsSection> All { get; } =
    [
        TopLevel,
        new(ChainFollowerServiceCollectionExtensions.SectionName, "The chain: endpoints, freshness, following (the chain client's and the follower's settings).", [typeof(SubstrateClientOptions), typeof(FollowerOptions)]),
        new(ListenOptions.SectionName, "Where the exporter listens.", [typeof(ListenOptions)]),
        new(ExporterMetricsOptions.SectionName, "How /metrics is served.", [typeof(ExporterMetricsOptions)]),
        new(KubernetesAccessOptions.SectionName, "The Kubernetes API every part uses (one client: the external metrics API's reviews, the burst controller's Lease and HPA, the deletion-cost keeper).", [typeof(KubernetesAccessOptions)]),
        new(DeletionCostOptions.SectionName, "The deletion-cost keeper for workers on cloud spot nodes (off by default).", [typeof(DeletionCostOptions)]),
        new(ExternalMetricsOptions.SectionName, "The external metrics API for the HPA.", [typeof(ExternalMetricsOptions)]),
        new(KedaScalerOptions.SectionName, "The KEDA external scaler.", [typeof(KedaScalerOptions)]),
        new(MithrilAutoOptions.SectionName, "The Mithril burst controller.", [typeof(MithrilAutoOptions)]),
    ];

    /// <summary>The section <paramref name="type"/> is bound from; null for a type no section binds.</summary>
    public static OptionsSection? Of(Type type) => All.FirstOrDefault(s => s.Types.Contains(type));
}
