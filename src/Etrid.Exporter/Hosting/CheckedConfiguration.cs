namespace Etrid.Exporter.Hosting;

/// <summary>
/// A configuration that passed every part's start-up validation (<see cref="ExporterHost.Check"/>): the configuration
/// itself, to build the host from, and the services it was checked with, which hold each section's options.
/// </summary>
/// <param name="Configuration">The configuration as loaded.</param>
/// <param name="Services">The host's services, composed but not started: only the options have been created.</param>
public sealed record CheckedConfiguration(IConfiguration Configuration, ServiceProvider Services) : IDisposable
{
    /// <summary>Disposes the services the configuration was checked with.</summary>
    public void Dispose() => Services.Dispose();
}
