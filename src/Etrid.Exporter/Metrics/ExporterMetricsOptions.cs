using System.ComponentModel.DataAnnotations;

namespace Etrid.Exporter.Metrics;

/// <summary>The <c>metrics</c> section: how <c>/metrics</c> is served.</summary>
public sealed class ExporterMetricsOptions
{
    /// <summary>The section's key.</summary>
    public const string SectionName = "metrics";

    /// <summary>
    /// Scrapes of <c>/metrics</c> served at once. Up to 1,000 more wait up to a second for a turn and are then answered
    /// 503 (beyond those, at once), so a scrape storm cannot starve the probes. Default 8 (Prometheus scrapes once per
    /// interval per replica).
    /// </summary>
    [ConfigurationKeyName("max_concurrent_scrapes")]
    [Range(1, 1000, ErrorMessage = "{0} must be between {1} and {2}")]
    public int MaxConcurrentScrapes { get; set; } = 8;
}
