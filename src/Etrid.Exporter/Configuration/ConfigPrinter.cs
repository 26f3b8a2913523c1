using System.Text;
using System.Text.RegularExpressions;

namespace Etrid.Exporter.Configuration;

/// <summary>Prints the effective configuration as YAML with secrets redacted: secret-named keys and URL credentials.</summary>
public static partial class ConfigPrinter
{
    public const string Redacted = "***";

    public static string Print(ExporterOptions options)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"pbc: {options.Pbc}");
        sb.AppendLine("chain:");
        sb.AppendLine("  endpoints:");
        foreach (var endpoint in options.Client.Endpoints)
        {
            sb.AppendLine($"    - {RedactUrl(endpoint)}");
        }

        sb.AppendLine($"  finality: {options.Follower.Finality.ToString().ToLowerInvariant()}");
        sb.AppendLine($"  staleness_limit: {Seconds(options.StalenessLimit)}");
        sb.AppendLine($"  request_timeout: {Seconds(options.Client.RequestTimeout)}");
        sb.AppendLine($"  connect_timeout: {Seconds(options.Client.ConnectTimeout)}");
        sb.AppendLine($"  watchdog_blocks: {options.Client.WatchdogBlocks}");
        sb.AppendLine($"  block_time: {Seconds(options.Client.BlockTime)}");
        sb.AppendLine($"  max_message_bytes: {options.Client.MaxMessageBytes}");
        sb.AppendLine($"  window: {Seconds(options.Follower.Window)}");
        sb.AppendLine($"  verify_interval: {Seconds(options.Follower.VerifyInterval)}");
        sb.AppendLine($"  max_gap_blocks: {options.Follower.MaxGapBlocks}");
        sb.AppendLine($"  sync_parallelism: {options.Follower.SyncParallelism}");
        sb.AppendLine("listen:");
        sb.AppendLine($"  metrics: {RedactUrl(new Uri(options.MetricsListen))}");
        return sb.ToString();
    }

    /// <summary>A URL with its password and query values replaced by <see cref="Redacted"/>.</summary>
    public static string RedactUrl(Uri url)
    {
        var builder = new UriBuilder(url);
        if (builder.Password.Length > 0)
        {
            builder.Password = Redacted;
        }

        if (builder.Query.Length > 1)
        {
            builder.Query = QueryValue().Replace(builder.Query.TrimStart('?'), "=" + Redacted);
        }

        var text = builder.Uri.ToString();
        return url.AbsolutePath == "/" && !url.OriginalString.EndsWith('/') && text.EndsWith('/') && builder.Query.Length == 0 ? text[..^1] : text;
    }

    private static string Seconds(TimeSpan value) => value.TotalMilliseconds % 1000 == 0
        ? $"{value.TotalSeconds:0}s"
        : $"{value.TotalMilliseconds:0}ms";

    [GeneratedRegex("=[^&]*")]
    private static partial Regex QueryValue();
}
