namespace Etrid.Burst.Policy;

/// <summary>The four things the controller does to bids.</summary>
public enum BidActionKind
{
    /// <summary>POST a new bid.</summary>
    Create,

    /// <summary>PATCH <c>paused: false</c>.</summary>
    Resume,

    /// <summary>PATCH <c>paused: true</c>.</summary>
    Pause,

    /// <summary>DELETE.</summary>
    Cancel,
}
