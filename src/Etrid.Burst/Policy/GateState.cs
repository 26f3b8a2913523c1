namespace Etrid.Burst.Policy;

/// <summary>What the scale gate remembers between ticks: since when demand has been above or below capacity, and the last removal.</summary>
public sealed record GateState(DateTimeOffset? BreachSince = null, DateTimeOffset? SurplusSince = null, DateTimeOffset? LastRemoval = null)
{
    /// <summary>Nothing observed yet.</summary>
    public static GateState Initial { get; } = new();
}
