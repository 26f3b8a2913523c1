namespace Etrid.Burst.Policy;

/// <summary>A node of pool <see cref="FromPool"/> to be replaced by a new one in <see cref="ToPool"/>, and what that saves over <c>scale_down_after</c>.</summary>
public sealed record RebalanceMove(int FromPool, string OldBidFid, int ToPool, decimal SavingUsd);
