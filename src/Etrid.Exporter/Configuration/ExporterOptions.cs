using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The exporter's whole configuration, bound from YAML and environment variables. Every key is
/// spelled once, on its property (<see cref="ConfigurationKeyNameAttribute"/>); unknown keys are
/// errors, secrets carry <c>[DataType(DataType.Password)]</c> and are redacted wherever printed.
/// </summary>
public sealed class ExporterOptions
{
    /// <summary>The <c>pbc</c> label on chain-wide metrics. Default <c>ai-compute</c>.</summary>
    [ConfigurationKeyName("pbc")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "{0} must not be empty")]
    [RegularExpression("^[a-zA-Z0-9_.-]{1,64}$", ErrorMessage = "{0} must be 1 to 64 letters, digits, '.', '_' or '-'")]
    public string Pbc { get; set; } = "ai-compute";

    /// <summary>The chain: endpoints, freshness, following.</summary>
    [ConfigurationKeyName("chain")]
    [ValidateObjectMembers]
    public ChainOptions Chain { get; set; } = new();

    /// <summary>Where the exporter listens.</summary>
    [ConfigurationKeyName("listen")]
    [ValidateObjectMembers]
    public ListenOptions Listen { get; set; } = new();
}
