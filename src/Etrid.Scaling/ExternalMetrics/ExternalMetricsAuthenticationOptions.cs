using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>
/// Who may call the API (<c>external_metrics.authentication</c>): as an aggregated API server, from
/// the cluster's <c>kube-system/extension-apiserver-authentication</c> ConfigMap and TokenReview;
/// standalone, from a client CA file and/or a static token file. Files add to what the cluster gives.
/// </summary>
public sealed class ExternalMetricsAuthenticationOptions
{
    /// <summary>Read and watch the cluster's authentication ConfigMap when the Kubernetes API is reachable. Default true.</summary>
    [ConfigurationKeyName("from_cluster")]
    public bool FromCluster { get; init; } = true;

    /// <summary>Check bearer tokens with TokenReview when the Kubernetes API is reachable. Default true.</summary>
    [ConfigurationKeyName("token_review")]
    public bool TokenReview { get; init; } = true;

    /// <summary>PEM CA bundle for client certificates (user = CN, groups = O). Default none.</summary>
    [ConfigurationKeyName("client_ca_file")]
    public string? ClientCaFile { get; init; }

    /// <summary>PEM CA bundle of the front proxy (kube-apiserver's <c>--requestheader-client-ca-file</c>). Default none.</summary>
    [ConfigurationKeyName("requestheader_client_ca_file")]
    public string? RequestHeaderClientCaFile { get; init; }

    /// <summary>Common names allowed to send identity headers; empty allows any name the request-header CA signed. Default <c>[front-proxy-client]</c>.</summary>
    [ConfigurationKeyName("requestheader_allowed_names")]
    public IReadOnlyList<string>? RequestHeaderAllowedNames { get; init; }

    /// <summary>Headers naming the user. Default <c>[X-Remote-User]</c>.</summary>
    [ConfigurationKeyName("requestheader_username_headers")]
    public IReadOnlyList<string>? RequestHeaderUsernameHeaders { get; init; }

    /// <summary>Headers naming groups. Default <c>[X-Remote-Group]</c>.</summary>
    [ConfigurationKeyName("requestheader_group_headers")]
    public IReadOnlyList<string>? RequestHeaderGroupHeaders { get; init; }

    /// <summary>Prefixes of headers carrying extra attributes. Default <c>[X-Remote-Extra-]</c>.</summary>
    [ConfigurationKeyName("requestheader_extra_headers_prefix")]
    public IReadOnlyList<string>? RequestHeaderExtraHeadersPrefix { get; init; }

    /// <summary>Headers carrying the user's uid. Default none.</summary>
    [ConfigurationKeyName("requestheader_uid_headers")]
    public IReadOnlyList<string>? RequestHeaderUidHeaders { get; init; }

    /// <summary>Static bearer tokens, as kube-apiserver's <c>--token-auth-file</c>: CSV <c>token,user,uid[,"group1,group2"]</c>. Default none.</summary>
    [ConfigurationKeyName("token_file")]
    public string? TokenFile { get; init; }

    /// <summary>How long a TokenReview answer is kept. Default 10 s.</summary>
    [ConfigurationKeyName("cache_ttl")]
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Let requests without credentials in as <c>system:anonymous</c> (development only; authorization still applies). Default false.</summary>
    [ConfigurationKeyName("allow_anonymous")]
    public bool AllowAnonymous { get; init; }

    // Lists are null when not configured: the configuration binder appends to a non-empty default instead of replacing it.
    internal IReadOnlyList<string> AllowedNamesOrDefault => RequestHeaderAllowedNames ?? ["front-proxy-client"];

    internal IReadOnlyList<string> UsernameHeadersOrDefault => RequestHeaderUsernameHeaders ?? ["X-Remote-User"];

    internal IReadOnlyList<string> GroupHeadersOrDefault => RequestHeaderGroupHeaders ?? ["X-Remote-Group"];

    internal IReadOnlyList<string> ExtraHeadersPrefixOrDefault => RequestHeaderExtraHeadersPrefix ?? ["X-Remote-Extra-"];

    internal IReadOnlyList<string> UidHeadersOrDefault => RequestHeaderUidHeaders ?? [];

    /// <summary>Every problem, each naming its member under <paramref name="member"/> and saying what is wrong (value).</summary>
    internal IEnumerable<ValidationResult> Problems(string member)
    {
        foreach (var (name, file) in new[] { (nameof(ClientCaFile), ClientCaFile), (nameof(RequestHeaderClientCaFile), RequestHeaderClientCaFile), (nameof(TokenFile), TokenFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                yield return new ValidationResult($"file not found ({file})", [$"{member}.{name}"]);
            }
        }

        if (CacheTtl < TimeSpan.Zero || CacheTtl > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"must be between 0s and 10m ({CacheTtl})", [$"{member}.{nameof(CacheTtl)}"]);
        }

        if (RequestHeaderUsernameHeaders is { Count: 0 })
        {
            yield return new ValidationResult("must name at least one header (none)", [$"{member}.{nameof(RequestHeaderUsernameHeaders)}"]);
        }
    }
}
