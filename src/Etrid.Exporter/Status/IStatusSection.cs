namespace Etrid.Exporter.Status;

/// <summary>
/// A part's own member of <c>/status</c> (e.g. <c>burst</c>), registered in DI; the status page shows
/// the sections it knows. <see cref="Read"/> is called for every status document (each page update),
/// so it returns an immutable value the part already holds, without I/O.
/// </summary>
public interface IStatusSection
{
    /// <summary>The member name in <c>/status</c> (snake_case; not one of the built-in members).</summary>
    string Name { get; }

    /// <summary>
    /// The section's current value, serialised with System.Text.Json (its own <c>JsonPropertyName</c>
    /// attributes win, other names become snake_case); null when the part has nothing to say.
    /// </summary>
    object? Read();
}
