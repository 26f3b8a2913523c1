using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Keda;

/// <summary>Log events of the KEDA external scaler (ids 500–599).</summary>
internal static partial class KedaScalerLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "keda_scaler: serving externalscaler.ExternalScaler on {Listen} ({Transport}); metrics {Metrics}")]
    public static partial void Serving(ILogger logger, string listen, string transport, string metrics);

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "keda_scaler: StreamIsActive opened for {Namespace}/{Name} ({Metric})")]
    public static partial void StreamOpened(ILogger logger, string @namespace, string name, string metric);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "keda_scaler: StreamIsActive pushed {Active} to {Namespace}/{Name} at block {Block}")]
    public static partial void StreamPushed(ILogger logger, bool active, string @namespace, string name, uint block);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "keda_scaler: {Rpc} for {Namespace}/{Name} unavailable: {Reason}")]
    public static partial void Unavailable(ILogger logger, string rpc, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "keda_scaler: {Rpc} for {Namespace}/{Name}: invalid metadata: {Reason}")]
    public static partial void InvalidMetadata(ILogger logger, string rpc, string @namespace, string name, string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "keda_scaler: {Rpc} for {Namespace}/{Name}: {Reason}")]
    public static partial void InvalidValue(ILogger logger, string rpc, string @namespace, string name, string reason);
}
