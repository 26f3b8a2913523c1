namespace Etrid.Exporter.Configuration;

/// <summary>
/// One section of the configuration file and the options types its part binds from it (the <c>chain</c> section binds
/// into the chain client's and the follower's own types); <see cref="Key"/> is empty for the top-level keys.
/// </summary>
/// <param name="Key">The section's key (<c>chain</c>), empty for the top level.</param>
/// <param name="Meaning">What the section configures (the README's reference row).</param>
/// <param name="Types">The options types bound from the section; a key two of them declare is one key.</param>
public sealed record OptionsSection(string Key, string Meaning, IReadOnlyList<Type> Types);
