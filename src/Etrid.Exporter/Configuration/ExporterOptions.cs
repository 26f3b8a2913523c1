using System.ComponentModel.DataAnnotations;
using Etrid.Exporter.Metrics;
using Etrid.Mithril.Options;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
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

    /// <summary>
    /// The seed's ConfigMap key (<c>ETRID_RPC_URL</c>), an alias of <c>chain.endpoints</c>: an http(s) URL maps to
    /// ws(s) on the same host and port. Used when <c>chain.endpoints</c> is empty, after <c>websocket_url</c>.
    /// </summary>
    [ConfigurationKeyName("rpc_url")]
    public string? RpcUrl { get; set; }

    /// <summary>The seed's ConfigMap key (<c>ETRID_WEBSOCKET_URL</c>), an alias of <c>chain.endpoints</c>, tried before <c>rpc_url</c>.</summary>
    [ConfigurationKeyName("websocket_url")]
    public string? WebsocketUrl { get; set; }

    /// <summary>Where the exporter listens.</summary>
    [ConfigurationKeyName("listen")]
    [ValidateObjectMembers]
    public ListenOptions Listen { get; set; } = new();

    /// <summary>How /metrics is served.</summary>
    [ConfigurationKeyName(ExporterMetricsOptions.SectionName)]
    [ValidateObjectMembers]
    public ExporterMetricsOptions Metrics { get; set; } = new();

    /// <summary>The deletion-cost keeper for workers on cloud spot nodes (off by default).</summary>
    [ConfigurationKeyName(DeletionCostOptions.SectionName)]
    [ValidateObjectMembers]
    public DeletionCostOptions DeletionCost { get; set; } = new();

    // The scaling sections validate themselves (Validate(path), every problem with its key), which
    // ExporterConfiguration calls; the generated validator is not asked to do it twice.
#pragma warning disable SYSLIB1212

    /// <summary>The external metrics API for the HPA (validated by its own <c>Validate</c>).</summary>
    [ConfigurationKeyName(ExternalMetricsOptions.SectionName)]
    public ExternalMetricsOptions ExternalMetrics { get; set; } = new();

    /// <summary>The KEDA external scaler (validated by its own <c>Validate</c>).</summary>
    [ConfigurationKeyName(KedaScalerOptions.SectionName)]
    public KedaScalerOptions KedaScaler { get; set; } = new();

    /// <summary>The Mithril burst controller (validated by its own <c>Validate</c>).</summary>
    [ConfigurationKeyName(MithrilAutoOptions.SectionName)]
    public MithrilAutoOptions MithrilAuto { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>The seed's aliases in the order they are tried; empty when neither is set.</summary>
    public IReadOnlyList<string> AliasEndpoints =>
        new[] { WebsocketUrl, RpcUrl }.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!.Trim()).Distinct(StringComparer.Ordinal).ToList();
}
