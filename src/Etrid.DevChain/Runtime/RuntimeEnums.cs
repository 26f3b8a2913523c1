namespace Etrid.DevChain.Runtime;

/// <summary>JobMarketplace job status, with the pallet's variant indices.</summary>
public enum DevJobStatus : byte
{
    Pending = 0,
    Processing = 1,
    Completed = 2,
    Failed = 3,
    Disputed = 4,
    Cancelled = 5,
}

/// <summary>GpuRegistry GPU status, with the pallet's variant indices.</summary>
public enum DevGpuStatus : byte
{
    Active = 0,
    Paused = 1,
    Offline = 2,
    Slashed = 3,
}
