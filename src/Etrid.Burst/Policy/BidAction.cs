namespace Etrid.Burst.Policy;

/// <summary>One planned action and its reason ("why did it scale?"); <see cref="BidFid"/> is null for a create.</summary>
public sealed record BidAction(BidActionKind Kind, string? BidFid, string Reason)
{
    /// <summary>A bounded code (<see cref="ReasonCodes"/>); null when the action follows the gate's decision (its code applies).</summary>
    public string? ReasonCode { get; init; }
}
