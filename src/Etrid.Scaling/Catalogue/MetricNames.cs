using Etrid.AiCompute.Telemetry;

namespace Etrid.Scaling.Catalogue;

/// <summary>
/// The metric names served to autoscalers: the <see cref="ChainMetric.Scaled"/> figures of
/// <see cref="ChainMetricCatalogue"/> (lower-case: client-go lower-cases them anyway). Nothing is declared here.
/// </summary>
public static class MetricNames
{
    /// <summary>Pending jobs, the default scaling signal.</summary>
    public static string QueueDepth => ChainMetricCatalogue.QueueDepth.Name;

    /// <summary>Every name, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
        ChainMetricCatalogue.All.Where(m => m.Scaled).Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();
}
