using System.ComponentModel.DataAnnotations;

namespace Etrid.Exporter.Configuration;

/// <summary>The <c>listen</c> section.</summary>
public sealed class ListenOptions
{
    /// <summary>Where /metrics, health and the status page are served. Default <c>http://0.0.0.0:9090</c>.</summary>
    [ConfigurationKeyName("metrics")]
    [RegularExpression("^http://[^/?#]+/?$", ErrorMessage = "{0} must be an http:// URL with an IP address (or localhost) and a port, such as http://0.0.0.0:9090")]
    public string Metrics { get; set; } = "http://0.0.0.0:9090";
}
