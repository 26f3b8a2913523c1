using System.ComponentModel.DataAnnotations;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The configuration's top-level keys; every section below them belongs to its part (<see cref="ExporterSections"/>).
/// Every key is spelled once, on its property (<see cref="ConfigurationKeyNameAttribute"/>); unknown keys are errors,
/// secrets carry <c>[DataType(DataType.Password)]</c> and are redacted wherever printed.
/// </summary>
public sealed class ExporterOptions
{
    /// <summary>The <c>pbc</c> label on chain-wide metrics. Default <c>ai-compute</c>.</summary>
    [ConfigurationKeyName("pbc")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "{0} must not be empty")]
    [RegularExpression("^[a-zA-Z0-9_.-]{1,64}$", ErrorMessage = "{0} must be 1 to 64 letters, digits, '.', '_' or '-'")]
    public string Pbc { get; set; } = "ai-compute";

    /// <summary>
    /// The seed's ConfigMap key (<c>ETRID_RPC_URL</c>), an alias of <c>chain.endpoints</c>: an http(s) URL maps to
    /// ws(s) on the same host and port. Used when <c>chain.endpoints</c> is empty, after <c>websocket_url</c>.
    /// </summary>
    [ConfigurationKeyName("rpc_url")]
    public string? RpcUrl { get; set; }

    /// <summary>The seed's ConfigMap key (<c>ETRID_WEBSOCKET_URL</c>), an alias of <c>chain.endpoints</c>, tried before <c>rpc_url</c>.</summary>
    [ConfigurationKeyName("websocket_url")]
    public string? WebsocketUrl { get; set; }

    /// <summary>The seed's aliases in the order they are tried; empty when neither is set.</summary>
    public IReadOnlyList<string> AliasEndpoints =>
        new[] { WebsocketUrl, RpcUrl }.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!.Trim()).Distinct(StringComparer.Ordinal).ToList();
}
