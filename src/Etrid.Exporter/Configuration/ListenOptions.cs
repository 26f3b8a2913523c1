using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Listeners;

namespace Etrid.Exporter.Configuration;

/// <summary>The <c>listen</c> section.</summary>
public sealed class ListenOptions : IValidatableObject
{
    /// <summary>The section's key.</summary>
    public const string SectionName = "listen";

    /// <summary>Where /metrics, health and the status page are served. Default <c>http://0.0.0.0:9090</c>.</summary>
    [ConfigurationKeyName("metrics")]
    [RegularExpression("^http://[^/?#]+/?$", ErrorMessage = "{0} must be an http:// URL with an IP address (or localhost) and a port, such as http://0.0.0.0:9090")]
    public string Metrics { get; set; } = "http://0.0.0.0:9090";

    /// <summary>The address the listener is given (the rule Kestrel's listener is set up with).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ListenAddress.TryParse(Metrics, out _, out var error))
        {
            yield return new ValidationResult($"{error} ({Metrics})", [nameof(Metrics)]);
        }
    }
}
