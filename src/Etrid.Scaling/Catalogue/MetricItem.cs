namespace Etrid.Scaling.Catalogue;

/// <summary>One value of a named metric with its labels (an item of an ExternalMetricValueList).</summary>
public sealed record MetricItem(string MetricName, IReadOnlyDictionary<string, string> Labels, double Value);
