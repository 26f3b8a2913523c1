namespace Etrid.DevChain.Rpc;

/// <summary>What a subscription follows.</summary>
internal enum SubscriptionKind
{
    NewHeads,
    FinalizedHeads,
    RuntimeVersion,
    Storage,
}
