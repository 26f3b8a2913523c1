using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary><c>tailscale_config</c>: with a key, the boot script joins the tailnet (Tailscale SSH on).</summary>
public sealed class TailscaleOptions
{
    /// <summary>Pre-authentication key; a secret (prefer ephemeral, tagged, short-lived keys: it is readable in the bid).</summary>
    [ConfigurationKeyName("pre_auth_key")]
    [DataType(DataType.Password)]
    public string? PreAuthKey { get; init; }

    /// <summary>Login server (Headscale); null uses Tailscale's.</summary>
    [ConfigurationKeyName("server")]
    public Uri? Server { get; init; }

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (Server is not null && (!Server.IsAbsoluteUri || Server.Scheme is not ("https" or "http")))
        {
            yield return $"{path}.server: must be an http:// or https:// URL";
        }

        if (PreAuthKey is { } key && key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            yield return $"{path}.pre_auth_key: contains whitespace or control characters (value hidden)";
        }
    }
}
