namespace Etrid.Exporter.DeletionCost;

/// <summary>The keeper without a cluster (<c>kubernetes.mode: none</c>, or <c>auto</c> outside a pod): says so once and does nothing.</summary>
internal sealed partial class IdleKeeper(ILogger<DeletionCostKeeper> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogIdle(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 863, Level = LogLevel.Warning, Message = "Deletion-cost keeper: deletion_cost.enabled is true but there is no Kubernetes API (kubernetes.mode); it stays idle")]
    private static partial void LogIdle(ILogger logger);
}
