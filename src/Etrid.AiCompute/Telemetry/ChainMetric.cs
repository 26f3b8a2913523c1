using Etrid.AiCompute.Snapshots;

namespace Etrid.AiCompute.Telemetry;

/// <summary>
/// A figure of the chain as a metric family: its <see cref="MetricDeclaration"/> and how its series are read from a
/// snapshot. Chain-wide families carry <c>pbc</c> first; a family has at most one other label (a status, a provider).
/// </summary>
public sealed class ChainMetric
{
    private readonly Func<ChainSnapshot, IEnumerable<FigureSample>> _read;

    /// <param name="declaration">Name, type, help and labels.</param>
    /// <param name="read">The series at a snapshot, in a stable order.</param>
    public ChainMetric(MetricDeclaration declaration, Func<ChainSnapshot, IEnumerable<FigureSample>> read)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(read);
        var labels = declaration.Labels;
        HasPbc = labels.Count > 0 && labels[0] == ChainMetricCatalogue.PbcLabel;
        var others = labels.Skip(HasPbc ? 1 : 0).ToList();
        if (others.Count > 1 || others.Contains(ChainMetricCatalogue.PbcLabel))
        {
            throw new ArgumentException($"{declaration.Name}: a chain figure has pbc first and at most one other label", nameof(declaration));
        }

        Declaration = declaration;
        Label = others.Count == 1 ? others[0] : null;
        _read = read;
    }

    /// <summary>Name, type, help and labels.</summary>
    public MetricDeclaration Declaration { get; }

    /// <summary>The family's name.</summary>
    public string Name => Declaration.Name;

    /// <summary>True when the family carries <c>pbc</c> (chain-wide figures; per-provider ones do not).</summary>
    public bool HasPbc { get; }

    /// <summary>The one label besides <c>pbc</c>, or null.</summary>
    public string? Label { get; }

    /// <summary>
    /// True when the external metrics API and the KEDA scaler serve this figure by its name (each series an item
    /// carrying <c>pbc</c>).
    /// </summary>
    public bool Scaled { get; init; }

    /// <summary>
    /// The series served to autoscalers when not all of them are (the HPA adds up every item a selector matches, so
    /// a family of parts of one whole serves only the part worth scaling on); null serves all.
    /// </summary>
    public string? ScaledLabelValue { get; init; }

    /// <summary>The series at <paramref name="snapshot"/>.</summary>
    public IEnumerable<FigureSample> Read(ChainSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return _read(snapshot);
    }

    /// <summary>The series served to autoscalers at <paramref name="snapshot"/>.</summary>
    public IEnumerable<FigureSample> ReadScaled(ChainSnapshot snapshot) =>
        ScaledLabelValue is { } only ? Read(snapshot).Where(s => s.Label == only) : Read(snapshot);
}
