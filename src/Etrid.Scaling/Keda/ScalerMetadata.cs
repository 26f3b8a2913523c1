using System.Globalization;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Selectors;

namespace Etrid.Scaling.Keda;

/// <summary>
/// A trigger's <c>metadata</c> as KEDA forwards it (<c>scalerMetadata</c>): <c>metric</c> (default
/// from configuration), <c>pbc</c> (adds <c>pbc=…</c> to the selector), <c>labelSelector</c>,
/// <c>target</c> (required, &gt; 0) and <c>activationTarget</c> (default 0: active when the value is
/// above it). Other keys (<c>scalerAddress</c>, KEDA's own) are ignored. Bounded: a ScaledObject is
/// remote input.
/// </summary>
public sealed record ScalerMetadata(string Metric, LabelSelector Selector, double Target, double ActivationTarget)
{
    private const int MaxEntries = 64;
    private const int MaxValueLength = 4096;

    /// <summary>Parses the metadata; the exception's message names the key and what is wrong.</summary>
    /// <exception cref="ScalerMetadataException">Missing or invalid keys.</exception>
    public static ScalerMetadata Parse(IReadOnlyDictionary<string, string> metadata, MetricCatalogue catalogue, string defaultMetric)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(catalogue);
        if (metadata.Count > MaxEntries)
        {
            throw new ScalerMetadataException($"scalerMetadata has {metadata.Count} entries; at most {MaxEntries} are accepted");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length > MaxValueLength || value.Length > MaxValueLength)
            {
                throw new ScalerMetadataException($"scalerMetadata.{Clip(key)}: longer than {MaxValueLength} characters");
            }
        }

        var name = metadata.GetValueOrDefault("metric") is { Length: > 0 } m ? m : defaultMetric;
        var metric = catalogue.Resolve(name)
            ?? throw new ScalerMetadataException($"scalerMetadata.metric: unknown metric '{Clip(name)}'; expected one of {string.Join(", ", catalogue.Names)}");

        var selectorText = metadata.GetValueOrDefault("labelSelector") ?? string.Empty;
        if (metadata.GetValueOrDefault("pbc") is { Length: > 0 } pbc)
        {
            selectorText = selectorText.Length == 0 ? "pbc=" + pbc : "pbc=" + pbc + "," + selectorText;
        }

        if (!LabelSelector.TryParse(selectorText, out var selector, out var error))
        {
            throw new ScalerMetadataException($"scalerMetadata.labelSelector/pbc: {error}");
        }

        if (!metadata.TryGetValue("target", out var targetText) || string.IsNullOrWhiteSpace(targetText))
        {
            throw new ScalerMetadataException("scalerMetadata.target: required (the value per replica for AverageValue, or in total for Value)");
        }

        var target = Number("target", targetText);
        if (target <= 0)
        {
            throw new ScalerMetadataException($"scalerMetadata.target: must be above 0 ({Clip(targetText)})");
        }

        var activation = metadata.TryGetValue("activationTarget", out var activationText) && !string.IsNullOrWhiteSpace(activationText)
            ? Number("activationTarget", activationText)
            : 0;
        if (activation < 0)
        {
            throw new ScalerMetadataException($"scalerMetadata.activationTarget: must not be negative ({Clip(activationText!)})");
        }

        return new ScalerMetadata(metric, selector, target, activation);
    }

    /// <summary>True when <paramref name="value"/> makes the trigger active (above the activation target).</summary>
    public bool IsActive(double value) => value > ActivationTarget;

    private static double Number(string key, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ScalerMetadataException($"scalerMetadata.{key}: not a number ({Clip(text)})");
        }

        return value;
    }

    private static string Clip(string s) => s.Length <= 70 ? s : s[..70] + "…";
}
