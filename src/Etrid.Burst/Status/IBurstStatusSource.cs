namespace Etrid.Burst.Status;

/// <summary>The burst controller's state for <c>/status</c> and the status page, replaced as a whole after every tick.</summary>
public interface IBurstStatusSource
{
    /// <summary>The latest status (immutable; never holds a secret).</summary>
    BurstStatus Current { get; }
}
