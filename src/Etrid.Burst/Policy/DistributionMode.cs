namespace Etrid.Burst.Policy;

/// <summary>What the gate lets capacity do this tick.</summary>
public enum DistributionMode
{
    /// <summary>Hold or wait: every pool keeps the capacity it has.</summary>
    Keep,

    /// <summary>Scale up: only additions, to the preferred pools first.</summary>
    Grow,

    /// <summary>Scale down: only releases, from the least preferred pool first.</summary>
    Shrink,

    /// <summary>Steady: no change but the <c>min_agents</c> floor.</summary>
    Steady,
}
