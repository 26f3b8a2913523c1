using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Status;

namespace Etrid.Exporter.Status.History;

/// <summary>Records each snapshot (and the burst controller's figures at that moment) into the <see cref="StatusHistory"/>.</summary>
internal sealed partial class StatusHistoryRecorder(IChainSnapshotSource source, StatusHistory history, ILogger<StatusHistoryRecorder> logger, IBurstStatusSource? burst = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in source.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    history.Record(snapshot, burst?.Current);
                }
#pragma warning disable CA1031 // the charts are a view: a point that cannot be taken is skipped, never the host's end
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogPointSkipped(logger, snapshot.BlockNumber, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 850, Level = LogLevel.Warning, Message = "Status history: the point of block {Block} was skipped")]
    private static partial void LogPointSkipped(ILogger logger, uint block, Exception exception);
}
