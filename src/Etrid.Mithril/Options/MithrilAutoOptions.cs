using System.ComponentModel.DataAnnotations;
using Etrid.Burst.Options;
using Etrid.Mithril.Api;
using Microsoft.Extensions.Configuration;

namespace Etrid.Mithril.Options;

/// <summary>
/// The <c>mithril_auto</c> section: the burst controller's keys (<see cref="BurstOptions"/>) and where its bids go
/// on Mithril's marketplace, with the seed's names (<c>project_id</c>, <c>region</c>, <c>api_token</c>,
/// <c>ssh_key_ids</c>, <c>api_endpoint</c>).
/// </summary>
public sealed record MithrilAutoOptions : BurstOptions
{
    /// <summary>The section's name in the configuration.</summary>
    public const string SectionName = "mithril_auto";

    /// <summary>Environment variable read when <see cref="ApiToken"/> is empty.</summary>
    public const string TokenEnvironmentVariable = "MITHRIL_API_KEY";

    /// <summary>Project FID (<c>proj_…</c>). Required.</summary>
    [ConfigurationKeyName("project_id")]
    public string ProjectId { get; init; } = "";

    /// <summary>Region (<c>us-central1-a</c>). Required.</summary>
    [ConfigurationKeyName("region")]
    public string Region { get; init; } = "";

    /// <summary>The API key (<c>fkey_…</c>); empty reads <c>MITHRIL_API_KEY</c>. A secret.</summary>
    [ConfigurationKeyName("api_token")]
    [DataType(DataType.Password)]
    public string ApiToken { get; init; } = "";

    /// <summary>The API origin. Default <c>https://api.mithril.ai</c>; point it at the dev market in demos and tests.</summary>
    [ConfigurationKeyName("api_endpoint")]
    public Uri ApiEndpoint { get; init; } = new("https://api.mithril.ai");

    /// <summary>SSH key FIDs sent with every bid (may be empty).</summary>
    [ConfigurationKeyName("ssh_key_ids")]
    public IReadOnlyList<string> SshKeyIds { get; init; } = [];

    /// <summary>Names the section without its values: the record's own text would print the API token.</summary>
    public override string ToString() => $"{SectionName} (project {ProjectId}, region {Region}, endpoint {ApiEndpoint}, enabled {Enabled})";

    /// <summary>The key in force: <see cref="ApiToken"/>, else the environment variable.</summary>
    public string ResolveApiToken(Func<string, string?> environment) =>
        !string.IsNullOrWhiteSpace(ApiToken) ? ApiToken : environment(TokenEnvironmentVariable) ?? "";

    /// <summary>Client settings for these options (endpoint and the resolved key; transport defaults).</summary>
    public MithrilClientOptions ToClientOptions(Func<string, string?> environment) => new()
    {
        ApiEndpoint = ApiEndpoint,
        ApiToken = ResolveApiToken(environment),
    };

    /// <inheritdoc />
    protected override IEnumerable<string> ValidateMarket(string path, Func<string, string?> environment)
    {
        var problems = new List<string>();
        if (!ProjectId.StartsWith("proj_", StringComparison.Ordinal))
        {
            problems.Add($"{path}.project_id: required, a project FID proj_… ({ProjectId})");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            problems.Add($"{path}.region: required");
        }

        if (string.IsNullOrWhiteSpace(ResolveApiToken(environment)))
        {
            problems.Add($"{path}.api_token: required (or set {TokenEnvironmentVariable})");
        }

        problems.AddRange(new MithrilClientOptions { ApiEndpoint = ApiEndpoint, ApiToken = "x" }.Validate(path).Where(p => p.Contains(".api_endpoint", StringComparison.Ordinal)));
        for (var i = 0; i < SshKeyIds.Count; i++)
        {
            if (!SshKeyIds[i].StartsWith("sshkey_", StringComparison.Ordinal))
            {
                problems.Add($"{path}.ssh_key_ids[{i}]: must be an SSH key FID sshkey_… ({SshKeyIds[i]})");
            }
        }

        return problems;
    }

    /// <inheritdoc />
    protected override IEnumerable<string> ValidatePool(PoolOptions pool, string path) =>
        !string.IsNullOrEmpty(pool.InstanceType) && !pool.InstanceType.StartsWith("it_", StringComparison.Ordinal)
            ? [$"{path}.instance_type: must be an instance type FID it_… ({pool.InstanceType})"]
            : [];
}
