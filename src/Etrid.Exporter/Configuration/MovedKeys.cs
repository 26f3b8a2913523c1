namespace Etrid.Exporter.Configuration;

/// <summary>
/// Keys that have moved: a file that still sets one is refused with one line naming the new key, rather than an
/// "unknown key" that leaves the reader to find where it went (or a silent default, which would be worse: a cluster
/// setting that no longer applies).
/// </summary>
public static class MovedKeys
{
    private const string OneClient = "one client for every part";

    // Old key (as operators write it) → where it went. A block maps every key under it.
    private static readonly (string Old, string New, string Why)[] Moves =
    [
        ("external_metrics.kubernetes.request_timeout", "external_metrics.review_timeout", "each part bounds its own calls to the one client"),
        ("external_metrics.kubernetes", "the top-level kubernetes", OneClient),
        ("mithril_auto.kubernetes", "the top-level kubernetes", OneClient),
    ];

    /// <summary>
    /// Takes every moved key out of the flat <paramref name="values"/> (keys joined by ':') and adds one problem per key,
    /// as <c>mithril_auto.kubernetes.mode: moved to the top-level kubernetes.mode (one client for every part)</c>.
    /// </summary>
    public static void Refuse(IDictionary<string, string?> values, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var key in values.Keys.ToList())
        {
            var dotted = key.Replace(':', '.').ToLowerInvariant();
            foreach (var (old, @new, why) in Moves)
            {
                if (dotted == old || dotted.StartsWith(old + ".", StringComparison.Ordinal))
                {
                    var rest = dotted[old.Length..];
                    problems.Add($"{dotted}: moved to {@new}{rest} ({why})");
                    values.Remove(key);
                    break;
                }
            }
        }
    }
}
