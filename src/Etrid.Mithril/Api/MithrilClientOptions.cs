using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Etrid.Mithril.Api;

/// <summary>Settings of <see cref="MithrilClient"/>: where the API is, the key, and the bounds of every call.</summary>
public sealed class MithrilClientOptions
{
    /// <summary>The API's origin; the client appends <c>/v2</c> and strips a trailing <c>/</c>. Default <c>https://api.mithril.ai</c>.</summary>
    [ConfigurationKeyName("api_endpoint")]
    public Uri ApiEndpoint { get; init; } = new("https://api.mithril.ai");

    /// <summary>The bearer key (<c>fkey_…</c>). A secret: never logged, never in an exception message.</summary>
    [ConfigurationKeyName("api_token")]
    [DataType(DataType.Password)]
    public string ApiToken { get; init; } = "";

    /// <summary>Longest wait for one attempt (request and whole body). Default 30 s.</summary>
    [ConfigurationKeyName("request_timeout")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt on 429, 5xx, timeouts and transport errors (POST: 429 only). Default 5.</summary>
    [ConfigurationKeyName("max_retries")]
    [Range(0, 20, ErrorMessage = "max_retries: must be between 0 and 20")]
    public int MaxRetries { get; init; } = 5;

    /// <summary>First back-off delay, doubled per retry with jitter. Default 5 s.</summary>
    [ConfigurationKeyName("retry_base_delay")]
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts, a <c>Retry-After</c> included. Default 60 s.</summary>
    [ConfigurationKeyName("retry_max_delay")]
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed calls in the sampling window that opens the circuit. Default 0.5.</summary>
    [ConfigurationKeyName("circuit_failure_ratio")]
    [Range(0.01, 1.0, ErrorMessage = "circuit_failure_ratio: must be between 0.01 and 1")]
    public double CircuitFailureRatio { get; init; } = 0.5;

    /// <summary>Calls in the window before the ratio counts. Default 10.</summary>
    [ConfigurationKeyName("circuit_minimum_throughput")]
    [Range(2, 10_000, ErrorMessage = "circuit_minimum_throughput: must be between 2 and 10000")]
    public int CircuitMinimumThroughput { get; init; } = 10;

    /// <summary>The circuit's sampling window. Default 60 s.</summary>
    [ConfigurationKeyName("circuit_sampling_duration")]
    public TimeSpan CircuitSamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses calls before one probe. Default 30 s.</summary>
    [ConfigurationKeyName("circuit_break_duration")]
    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body read. Default 4 MiB (a full page of 100 bids with 10 kB scripts fits).</summary>
    [ConfigurationKeyName("max_response_bytes")]
    [Range(4096, 256 * 1024 * 1024, ErrorMessage = "max_response_bytes: must be between 4096 and 268435456")]
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Page size asked of paged lists (1–100). Default 100.</summary>
    [ConfigurationKeyName("page_size")]
    [Range(1, 100, ErrorMessage = "page_size: must be between 1 and 100")]
    public int PageSize { get; init; } = 100;

    /// <summary>Most pages followed in one listing; more is an error rather than an endless walk. Default 100.</summary>
    [ConfigurationKeyName("max_pages")]
    [Range(1, 10_000, ErrorMessage = "max_pages: must be between 1 and 10000")]
    public int MaxPages { get; init; } = 100;

    /// <summary>POST attempts for one bid when outcomes are unknown (each followed by a look-up by name). Default 3.</summary>
    [ConfigurationKeyName("create_attempts")]
    [Range(1, 10, ErrorMessage = "create_attempts: must be between 1 and 10")]
    public int CreateAttempts { get; init; } = 3;

    /// <summary>Seed of the back-off jitter so runs repeat; null seeds from the clock.</summary>
    [ConfigurationKeyName("jitter_seed")]
    public int? JitterSeed { get; init; }

    /// <summary>The <c>/v2/</c> base every path is relative to.</summary>
    public Uri BaseAddress => new(ApiEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v2/");

    /// <summary>Every problem with these settings as <c>path.key: what is wrong (value)</c>; empty when valid.</summary>
    public IEnumerable<string> Validate(string path)
    {
        var problems = new List<string>();
        if (!ApiEndpoint.IsAbsoluteUri || ApiEndpoint.Scheme is not ("https" or "http"))
        {
            problems.Add($"{path}.api_endpoint: must be an http:// or https:// URL ({Display(ApiEndpoint)})");
        }
        else if (!string.IsNullOrEmpty(ApiEndpoint.UserInfo) || !string.IsNullOrEmpty(ApiEndpoint.Query))
        {
            problems.Add($"{path}.api_endpoint: must carry no credentials or query string ({Display(ApiEndpoint)})");
        }

        if (string.IsNullOrWhiteSpace(ApiToken))
        {
            problems.Add($"{path}.api_token: is required (or set MITHRIL_API_KEY)");
        }
        else if (ApiToken.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problems.Add($"{path}.api_token: contains whitespace or control characters (value hidden)");
        }

        Positive(problems, $"{path}.request_timeout", RequestTimeout);
        Positive(problems, $"{path}.retry_base_delay", RetryBaseDelay);
        Positive(problems, $"{path}.circuit_sampling_duration", CircuitSamplingDuration);
        Positive(problems, $"{path}.circuit_break_duration", CircuitBreakDuration);
        if (RetryMaxDelay < RetryBaseDelay)
        {
            problems.Add($"{path}.retry_max_delay: must be at least retry_base_delay ({RetryMaxDelay})");
        }

        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, context, results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"{path}.{r.ErrorMessage}"));
        return problems;
    }

    /// <summary>The endpoint as safe to print: scheme, host, port and path only.</summary>
    public static string Display(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? endpoint.GetLeftPart(UriPartial.Authority).Replace(endpoint.UserInfo + "@", "", StringComparison.Ordinal) + endpoint.AbsolutePath : "(relative URL)";

    private static void Positive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{key}: must be positive ({value})");
        }
    }
}
