namespace Etrid.Exporter.Status;

/// <summary>An <see cref="IStatusSection"/> from a name and a function.</summary>
/// <param name="name">The member name in <c>/status</c>.</param>
/// <param name="read">Returns the section's current value (called per status document).</param>
public sealed class StatusSection(string name, Func<object?> read) : IStatusSection
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public object? Read() => read();
}
