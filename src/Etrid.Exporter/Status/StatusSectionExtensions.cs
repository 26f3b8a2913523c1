namespace Etrid.Exporter.Status;

/// <summary>Registers sections of <c>/status</c> and the status page.</summary>
public static class StatusSectionExtensions
{
    /// <summary>
    /// Adds the section <paramref name="name"/>: <paramref name="factory"/> is given the services once
    /// and returns the function read for each status document, e.g.
    /// <c>services.AddStatusSection("burst", sp =&gt; { var s = sp.GetRequiredService&lt;IBurstStatusSource&gt;(); return () =&gt; s.Current; })</c>.
    /// </summary>
    public static IServiceCollection AddStatusSection(this IServiceCollection services, string name, Func<IServiceProvider, Func<object?>> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton<IStatusSection>(sp => new StatusSection(name, factory(sp)));
        return services;
    }
}
