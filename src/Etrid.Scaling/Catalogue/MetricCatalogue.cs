using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.Telemetry;
using Etrid.Scaling.Quantities;
using Etrid.Scaling.Selectors;

namespace Etrid.Scaling.Catalogue;

/// <summary>
/// The figures worth scaling on (the <see cref="ChainMetric.Scaled"/> ones of <see cref="ChainMetricCatalogue"/>), as
/// named metrics with labels, taken from a snapshot reading. Every item carries <c>pbc</c>; names match case-insensitively. Freshness is never judged here:
/// the reading's verdict is passed on.
/// </summary>
public sealed class MetricCatalogue
{
    private const int MaxNameLength = 253;
    private readonly string _pbc;
    private readonly Dictionary<string, string> _byName;
    private readonly Dictionary<string, ChainMetric> _metrics;

    // Items built once per snapshot and metric: the HPA and KEDA ask many times per block.
    private readonly ConditionalWeakTable<ChainSnapshot, ConcurrentDictionary<string, IReadOnlyList<MetricItem>>> _perSnapshot = new();

    /// <param name="pbc">The <c>pbc</c> label on every item.</param>
    /// <param name="enabled">The metrics served; null serves all of <see cref="MetricNames.All"/>.</param>
    public MetricCatalogue(string pbc, IEnumerable<string>? enabled = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pbc);
        _pbc = pbc;
        var names = (enabled ?? MetricNames.All).Select(n => n.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Except(MetricNames.All, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown metrics: {string.Join(", ", unknown)}", nameof(enabled));
        }

        Names = MetricNames.All.Where(names.Contains).ToArray();
        _byName = Names.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
        _metrics = ChainMetricCatalogue.All.Where(m => names.Contains(m.Name)).ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    /// <summary>The metrics served, sorted, lower-case.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The <c>pbc</c> label value.</summary>
    public string Pbc => _pbc;

    /// <summary>The canonical name of <paramref name="name"/> (any case), or null when not served.</summary>
    public string? Resolve(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && _byName.TryGetValue(name, out var canonical) ? canonical : null;

    /// <summary>
    /// The items of <paramref name="metric"/> matching <paramref name="selector"/>: unknown metric
    /// first, then the reading's freshness verdict, then the values' validity.
    /// </summary>
    public MetricAnswer Query(SnapshotReading reading, string metric, LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(selector);
        var name = Resolve(metric);
        if (name is null)
        {
            return new MetricAnswer(MetricOutcome.UnknownMetric, metric, $"the server could not find the metric {metric}", [], reading.Snapshot);
        }

        if (!reading.IsFresh || reading.Snapshot is null)
        {
            return new MetricAnswer(MetricOutcome.Unavailable, name, $"no fresh figures for {name}: {reading.Reason}", [], reading.Snapshot);
        }

        var all = ItemsOf(reading.Snapshot, name);
        var items = new List<MetricItem>(all.Count);
        foreach (var item in all)
        {
            if (selector.Matches(item.Labels))
            {
                items.Add(item);
            }
        }

        foreach (var item in items)
        {
            if (!Quantity.TryFormat(item.Value, out _))
            {
                var why = name == ChainMetricCatalogue.AverageDuration.Name && double.IsNaN(item.Value) ? " (no job completed within the window)" : string.Empty;
                return new MetricAnswer(MetricOutcome.InvalidValue, name, $"{name} has no valid value at block {reading.Snapshot.BlockNumber}: {item.Value}{why}", [], reading.Snapshot);
            }
        }

        return new MetricAnswer(MetricOutcome.Ok, name, "ok", items, reading.Snapshot);
    }

    /// <summary>Every item of the served metric <paramref name="name"/> (canonical) at <paramref name="snapshot"/>.</summary>
    public IReadOnlyList<MetricItem> Items(string name, ChainSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metric = _metrics.GetValueOrDefault(name) ?? throw new ArgumentException($"unknown metric {name}", nameof(name));
        var items = new List<MetricItem>();
        foreach (var sample in metric.ReadScaled(snapshot))
        {
            items.Add(metric.Label is { } label && sample.Label is { } value ? Item(name, sample.Value, (label, value)) : Item(name, sample.Value));
        }

        return items;
    }

    private IReadOnlyList<MetricItem> ItemsOf(ChainSnapshot snapshot, string name) =>
        _perSnapshot.GetValue(snapshot, _ => new ConcurrentDictionary<string, IReadOnlyList<MetricItem>>(StringComparer.Ordinal))
            .GetOrAdd(name, (n, s) => Items(n, s), snapshot);

    private MetricItem Item(string name, double value, params (string Key, string Value)[] labels)
    {
        // Sorted once here so that every answer lists the labels in the same order.
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["pbc"] = _pbc };
        foreach (var (key, v) in labels)
        {
            map[key] = v;
        }

        return new MetricItem(name, map, value);
    }
}
