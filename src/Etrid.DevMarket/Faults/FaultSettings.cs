using System.Text.Json.Serialization;

namespace Etrid.DevMarket.Faults;

/// <summary>Rates of injected faults (each 0–1, drawn per API request from the seeded source) and their shape.</summary>
public sealed record FaultSettings
{
    /// <summary>Share of requests answered 429.</summary>
    [JsonPropertyName("rate_429")]
    public double Rate429 { get; init; }

    /// <summary>Share of requests answered 500.</summary>
    [JsonPropertyName("rate_500")]
    public double Rate500 { get; init; }

    /// <summary>Share of requests left without an answer.</summary>
    public double RateTimeout { get; init; }

    /// <summary>Share of requests answered late.</summary>
    public double RateSlow { get; init; }

    /// <summary><c>Retry-After</c> seconds on a 429; null sends none. Default 1.</summary>
    public int? RetryAfterSeconds { get; init; } = 1;

    /// <summary>Delay of a slow answer, in milliseconds of the market's clock. Default 2000.</summary>
    public int SlowDelayMs { get; init; } = 2000;

    /// <summary>How long a hung request waits before a 504, in milliseconds of the market's clock. Default 600000.</summary>
    public int HangMs { get; init; } = 600_000;

    /// <summary>When true, injected 500s and hangs happen after the request took effect (the answer is lost).</summary>
    public bool AfterProcessing { get; init; }

    /// <summary>Every problem with these settings; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var rates = new[] { ("rate_429", Rate429), ("rate_500", Rate500), ("rate_timeout", RateTimeout), ("rate_slow", RateSlow) };
        foreach (var (key, rate) in rates)
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                problems.Add($"{key}: must be between 0 and 1 ({rate})");
            }
        }

        if (rates.Sum(r => r.Item2) > 1)
        {
            problems.Add("rates: their sum must not exceed 1");
        }

        if (RetryAfterSeconds is < 0 or > 3600 || SlowDelayMs is < 0 or > 3_600_000 || HangMs is < 0 or > 86_400_000)
        {
            problems.Add("retry_after_seconds, slow_delay_ms, hang_ms: out of range");
        }

        return problems;
    }
}
