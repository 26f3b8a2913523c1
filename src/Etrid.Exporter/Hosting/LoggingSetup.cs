namespace Etrid.Exporter.Hosting;

/// <summary>
/// One console format and default levels for every verb, tunable from the environment the standard
/// way (<c>Logging__LogLevel__Default=Debug</c>, <c>Logging__LogLevel__Etrid.AiCompute=Trace</c>).
/// </summary>
public static class LoggingSetup
{
    /// <summary>Default levels; environment variables override them.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",

        // Start-up failures are reported by the verb itself, in one line.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "Critical",
    };

    /// <summary>The logging configuration: the defaults, then the environment.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddInMemoryCollection(Defaults)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>Sets up <paramref name="logging"/> from <paramref name="configuration"/>'s <c>Logging</c> section.</summary>
    public static ILoggingBuilder Configure(ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return logging;
    }

    /// <summary>A logger factory for the verbs that run without the web host.</summary>
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(b => Configure(b, Configuration()));
}
