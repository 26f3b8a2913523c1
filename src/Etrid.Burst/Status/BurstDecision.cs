using System.Text.Json.Serialization;

namespace Etrid.Burst.Status;

/// <summary>One decision ("why did it scale?"): an action on a bid, or a hold, with a bounded code and the words.</summary>
public sealed record BurstDecision
{
    /// <summary>When it was decided.</summary>
    [JsonPropertyName("at")]
    public DateTimeOffset At { get; init; }

    /// <summary>The pool; null for the whole controller.</summary>
    [JsonPropertyName("pool")]
    public string? Pool { get; init; }

    /// <summary><c>create</c>, <c>resume</c>, <c>pause</c>, <c>cancel</c> or <c>hold</c>.</summary>
    [JsonPropertyName("action")]
    public required string Action { get; init; }

    /// <summary>The bid acted on; null for a create or a hold.</summary>
    [JsonPropertyName("bid")]
    public string? Bid { get; init; }

    /// <summary>A bounded code (see <see cref="Policy.ReasonCodes"/>).</summary>
    [JsonPropertyName("reason_code")]
    public required string ReasonCode { get; init; }

    /// <summary>The reason in words.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; init; }
}
