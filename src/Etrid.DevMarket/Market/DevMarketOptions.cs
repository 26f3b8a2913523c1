using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.DevMarket.Market;

/// <summary>Settings of the dev market: its account, catalogue, auction clock and lifecycle timings (section 10 of the spec).</summary>
/// <remarks>A record so that a variant is <c>options with { … }</c> rather than a copy made key by key.</remarks>
public sealed record DevMarketOptions
{
    /// <summary>Seed of ids, the price path and fault draws. Default 1.</summary>
    [ConfigurationKeyName("seed")]
    public int Seed { get; init; } = 1;

    /// <summary>The one bearer key accepted. Default <c>fkey_devmarket</c>.</summary>
    [ConfigurationKeyName("api_token")]
    [DataType(DataType.Password)]
    public string ApiToken { get; init; } = "fkey_devmarket";

    /// <summary>The account's project FID. Default <c>proj_devmarket01</c>.</summary>
    [ConfigurationKeyName("project_id")]
    public string ProjectId { get; init; } = "proj_devmarket01";

    /// <summary>The one region. Default <c>us-central1-a</c>.</summary>
    [ConfigurationKeyName("region")]
    public string Region { get; init; } = "us-central1-a";

    /// <summary>The project's SSH key FID. Default <c>sshkey_devmarket01</c>.</summary>
    [ConfigurationKeyName("ssh_key_id")]
    public string SshKeyId { get; init; } = "sshkey_devmarket01";

    /// <summary>The catalogue; default one 8-GPU, one 4-GPU and one 1-GPU type.</summary>
    [ConfigurationKeyName("instance_types")]
    public IReadOnlyList<DevInstanceType> InstanceTypes { get; init; } =
    [
        new() { Fid = "it_devh100x8", Name = "h100.80gb.sxm", NumGpus = 8, GpuType = "H100", BasePriceCents = 1600, Capacity = 16 },
        new() { Fid = "it_deva100x4", Name = "a100.80gb.sxm", NumGpus = 4, GpuType = "A100", BasePriceCents = 560, Capacity = 16 },
        new() { Fid = "it_devl40sx1", Name = "l40s.48gb", NumGpus = 1, GpuType = "L40S", BasePriceCents = 90, Capacity = 32 },
    ];

    /// <summary>How often due transitions are applied. Default 5 s.</summary>
    [ConfigurationKeyName("tick_interval")]
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between auction rounds. Default 2 min, as the real market.</summary>
    [ConfigurationKeyName("auction_interval")]
    public TimeSpan AuctionInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Allocation to <c>STATUS_RUNNING</c> on a new instance. Default 3 min.</summary>
    [ConfigurationKeyName("cold_boot")]
    public TimeSpan ColdBoot { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Resume to <c>STATUS_RUNNING</c> of a paused instance. Default 100 s.</summary>
    [ConfigurationKeyName("resume_boot")]
    public TimeSpan ResumeBoot { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Pause to <c>STATUS_PAUSED</c> (the instance keeps running meanwhile). Default 150 s.</summary>
    [ConfigurationKeyName("pause_stop")]
    public TimeSpan PauseStop { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>A resumed bid comes back on a new instance (another host) while its paused one stays listed; false restarts the paused instance. Default false.</summary>
    [ConfigurationKeyName("resume_on_new_instance")]
    public bool ResumeOnNewInstance { get; init; }

    /// <summary>Preemption notice: <c>STATUS_PREEMPTING</c> until <c>STATUS_PREEMPTED</c>. Default 5 min.</summary>
    [ConfigurationKeyName("preemption_window")]
    public TimeSpan PreemptionWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest relative price move per auction round. Default 0.05.</summary>
    [ConfigurationKeyName("price_volatility")]
    [Range(0.0, 0.5, ErrorMessage = "price_volatility: must be between 0 and 0.5")]
    public double PriceVolatility { get; init; } = 0.05;

    /// <summary>Page size when a list request gives no <c>limit</c>. Default 25.</summary>
    [ConfigurationKeyName("default_page_size")]
    [Range(1, 100, ErrorMessage = "default_page_size: must be between 1 and 100")]
    public int DefaultPageSize { get; init; } = 25;

    /// <summary>Largest request body accepted. Default 64 KiB.</summary>
    [ConfigurationKeyName("max_body_bytes")]
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "max_body_bytes: must be between 1024 and 16777216")]
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Requests kept for inspection (oldest dropped first). Default 10,000.</summary>
    [ConfigurationKeyName("max_captured_requests")]
    [Range(0, 1_000_000, ErrorMessage = "max_captured_requests: must be between 0 and 1000000")]
    public int MaxCapturedRequests { get; init; } = 10_000;

    /// <summary>Names the market without its values: the record's own text would print the API token.</summary>
    public override string ToString() => $"devmarket (project {ProjectId}, region {Region}, seed {Seed})";

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>; empty when valid.</summary>
    public IEnumerable<string> Validate(string path)
    {
        var problems = new List<string>();
        foreach (var (key, value) in new[]
        {
            ("tick_interval", TickInterval), ("auction_interval", AuctionInterval), ("cold_boot", ColdBoot),
            ("resume_boot", ResumeBoot), ("pause_stop", PauseStop), ("preemption_window", PreemptionWindow),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{path}.{key}: must be positive ({value})");
            }
        }

        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            problems.Add($"{path}.api_token: is required");
        }

        if (InstanceTypes.Count == 0)
        {
            problems.Add($"{path}.instance_types: at least one is required");
        }

        for (var i = 0; i < InstanceTypes.Count; i++)
        {
            var t = InstanceTypes[i];
            if (!t.Fid.StartsWith("it_", StringComparison.Ordinal) || t.NumGpus <= 0 || t.BasePriceCents <= 0 || t.Capacity < 0)
            {
                problems.Add($"{path}.instance_types[{i}]: needs an it_ FID, GPUs > 0, a positive price and capacity ≥ 0 ({t.Fid})");
            }
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        return problems;
    }
}
