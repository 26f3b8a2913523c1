namespace Etrid.Mithril.Policy;

/// <summary>One planned action and its reason ("why did it scale?"); <see cref="BidFid"/> is null for a create.</summary>
public sealed record BidAction(BidActionKind Kind, string? BidFid, string Reason);
