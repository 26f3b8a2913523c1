namespace Etrid.Simulation.Hpa;

/// <summary>Which policy wins (<c>selectPolicy</c>).</summary>
public enum SelectPolicy
{
    /// <summary>The policy allowing the largest change (default).</summary>
    Max,

    /// <summary>The policy allowing the smallest change.</summary>
    Min,

    /// <summary>No scaling in this direction.</summary>
    Disabled,
}
