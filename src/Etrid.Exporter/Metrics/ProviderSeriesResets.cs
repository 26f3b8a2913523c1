using Etrid.AiCompute.Snapshots;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Notices a provider's total that goes down between two exported snapshots. Within a process the chain's totals only
/// grow; they shrink only when the followed head is re-organised (finality: best). The series then starts afresh at
/// the lower value, which Prometheus reads as a counter reset; each such reset is counted and logged.
/// </summary>
internal sealed partial class ProviderSeriesResets(ILogger logger)
{
    // The last exported totals by provider; its strings are the snapshot's own.
    private readonly Dictionary<string, ProviderTotals> _providers = new(StringComparer.Ordinal);
    private long _generation;
    private long _resets;

    /// <summary>Resets counted since start.</summary>
    public long Count => Interlocked.Read(ref _resets);

    /// <summary>Compares <paramref name="snapshot"/>'s totals with the last ones (called once per snapshot, in order).</summary>
    public void Check(ChainSnapshot snapshot)
    {
        var providers = snapshot.Figures.Providers;
        var generation = ++_generation;
        foreach (var p in providers)
        {
            if (_providers.TryGetValue(p.Address, out var last) && (p.JobsCompleted < last.Completed || p.EarningsEdsc < last.Earnings))
            {
                LogSeriesReset(p.Address, last.Completed, p.JobsCompleted);
                Interlocked.Increment(ref _resets);
            }

            _providers[p.Address] = new ProviderTotals(p.JobsCompleted, p.EarningsEdsc, generation);
        }

        if (_providers.Count == providers.Count)
        {
            return;
        }

        // A provider that left forgets its totals: should it come back, its series start where its totals are.
        foreach (var gone in _providers.Where(p => p.Value.Generation != generation).Select(p => p.Key).ToList())
        {
            _providers.Remove(gone);
        }
    }

    private readonly record struct ProviderTotals(long Completed, double Earnings, long Generation);

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Provider {Provider}: completed jobs went from {Before} to {After} (a re-org of non-finalized blocks under finality: best); its series start afresh")]
    private partial void LogSeriesReset(string provider, double before, long after);
}
