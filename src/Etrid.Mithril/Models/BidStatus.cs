namespace Etrid.Mithril.Models;

/// <summary>A spot bid's status; values the API may add later read as <see cref="Unknown"/>.</summary>
public enum BidStatus
{
    /// <summary>A value this client does not know (never a crash on a new enum value).</summary>
    Unknown,

    /// <summary>Waiting for an auction round to allocate it (also after a preemption).</summary>
    Open,

    /// <summary>Won: its instances exist.</summary>
    Allocated,

    /// <summary>Outbid: its instances stop within 5 minutes; the bid then returns to Open.</summary>
    Preempting,

    /// <summary>Cancelled.</summary>
    Terminated,

    /// <summary>Paused: instances spun down, boot disk kept.</summary>
    Paused,

    /// <summary>Part of the order is being moved to another host (status endpoint only).</summary>
    Relocating,
}
