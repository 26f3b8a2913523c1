namespace Etrid.Exporter.Status.History;

/// <summary>Registers the status page's history.</summary>
public static class StatusHistoryExtensions
{
    /// <summary>
    /// Adds the <see cref="StatusHistory"/>, its recorder (a point per snapshot, with the burst controller's
    /// figures when an <see cref="Etrid.Burst.Status.IBurstStatusSource"/> is registered) and the
    /// <c>trend</c> section of <c>/status</c>; <c>/status/history</c> serves it once registered.
    /// </summary>
    public static IServiceCollection AddStatusHistory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<StatusHistory>();
        services.AddHostedService<StatusHistoryRecorder>();
        services.AddStatusSection("trend", sp =>
        {
            var history = sp.GetRequiredService<StatusHistory>();
            return history.Latest;
        });
        return services;
    }
}
