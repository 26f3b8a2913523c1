namespace Etrid.DevMarket.Market;

/// <summary>An instance entered or left <c>STATUS_RUNNING</c>: its GPUs join or leave the provider's capacity.</summary>
public sealed record InstanceRunningChange(string InstanceFid, string BidFid, string BidName, string InstanceType, int NumGpus, bool Running, DateTimeOffset At);
