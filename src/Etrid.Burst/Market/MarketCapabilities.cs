namespace Etrid.Burst.Market;

/// <summary>What a market can do beyond create, list and cancel; the controller plans within it.</summary>
public sealed record MarketCapabilities
{
    /// <summary>
    /// Bids can be paused and resumed (a node stopped with its disk kept, restarted faster than a new one). Without
    /// it <c>max_suspended_bids</c> must be 0: every release is a cancel and every growth a new bid.
    /// </summary>
    public bool SupportsPause { get; init; }
}
