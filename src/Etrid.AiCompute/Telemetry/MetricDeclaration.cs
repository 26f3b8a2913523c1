namespace Etrid.AiCompute.Telemetry;

/// <summary>
/// One metric family as operators see it: its name, Prometheus type, help text and label names. Declared once, as a
/// static field beside the code that produces it; <c>/metrics</c>, the autoscalers' metric names and the README's
/// metrics reference are rendered from these declarations.
/// </summary>
/// <param name="Name">The family's name (counters end in <c>_total</c>).</param>
/// <param name="Kind">Its Prometheus type.</param>
/// <param name="Help">The HELP text, also the README's explanation.</param>
/// <param name="Labels">The label names its series carry.</param>
public sealed record MetricDeclaration(string Name, MetricKind Kind, string Help, IReadOnlyList<string> Labels)
{
    /// <summary>
    /// The event a family waits for before it has a series (<c>the first request</c>), or null when it is on
    /// <c>/metrics</c> from the start.
    /// </summary>
    public string? AppearsWith { get; init; }

    /// <summary>The unit of a histogram's observations (<c>s</c>), or null.</summary>
    public string? Unit { get; init; }
}
