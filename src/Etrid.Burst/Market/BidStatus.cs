namespace Etrid.Burst.Market;

/// <summary>A bid's status in the controller's terms; a provider maps its own onto these.</summary>
public enum BidStatus
{
    /// <summary>A status the provider could not map (counts as pending capacity, never a crash).</summary>
    Unknown,

    /// <summary>Waiting to be allocated (also after a preemption).</summary>
    Open,

    /// <summary>Won: its node exists.</summary>
    Allocated,

    /// <summary>Outbid or reclaimed: its node stops soon; the bid then returns to Open.</summary>
    Preempting,

    /// <summary>Cancelled.</summary>
    Terminated,

    /// <summary>Paused: the node spun down, its disk kept.</summary>
    Paused,

    /// <summary>The node is being moved to another host by the provider; it stays live.</summary>
    Relocating,
}
