using System.Globalization;
using System.Net;
using System.Text;
using Etrid.AiCompute.Snapshots;

namespace Etrid.Exporter.Health;

/// <summary>The HTML page at <c>/</c>: connection, last block and its age, and the figures.</summary>
public static class StatusPage
{
    public static string Render(SnapshotReading reading, ChainHealth status, DateTimeOffset now, string pbc)
    {
        var (snapshot, ready, reason) = reading;
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Etrid AI-Compute exporter</title>")
          .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.ok{color:#070}.bad{color:#a00}</style></head><body>")
          .Append("<h1>Etrid AI-Compute exporter</h1>");
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"{(ready ? "ok" : "bad")}\"><b>{(ready ? "Ready" : "Not ready")}</b>: {E(reason)}</p>");
        sb.Append("<h2>Chain</h2><table>");
        Row(sb, "pbc", pbc);
        Row(sb, "Chain", status.ChainName ?? "unknown");
        Row(sb, "Endpoint", status.Connected ? status.Endpoint ?? "?" : "not connected");
        Row(sb, "Best block", status.BestBlock?.ToString(CultureInfo.InvariantCulture) ?? "none yet");
        Row(sb, "Finalized block", status.FinalizedBlock?.ToString(CultureInfo.InvariantCulture) ?? "none yet");
        Row(sb, "Last finalized block seen", status.LastFinalizedAt is { } at ? $"{(now - at).TotalSeconds:F1} s ago" : "never");
        Row(sb, "Figures taken at block", snapshot is null ? "none yet" : $"{snapshot.BlockNumber} ({snapshot.BlockHash}), {snapshot.Age(now).TotalSeconds:F1} s ago, spec version {snapshot.SpecVersion}");
        Row(sb, "Last error", status.LastError ?? "none");
        sb.Append("</table>");
        if (snapshot is not null)
        {
            var f = snapshot.Figures;
            sb.Append("<h2>Figures</h2><table>");
            foreach (var (s, count) in f.JobsByStatus)
            {
                Row(sb, $"Jobs {s.ToString().ToLowerInvariant()}", count.ToString(CultureInfo.InvariantCulture));
            }

            Row(sb, "Average wait", $"{f.AverageWaitSeconds:F1} s");
            Row(sb, "Average duration", double.IsNaN(f.AverageDurationSeconds) ? "no completions in the window" : $"{f.AverageDurationSeconds:F1} s");
            foreach (var (s, count) in f.GpusByStatus)
            {
                Row(sb, $"GPUs {s.ToString().ToLowerInvariant()}", count.ToString(CultureInfo.InvariantCulture));
            }

            Row(sb, "Jobs per Active GPU", f.JobsPerActiveGpu.ToString("F2", CultureInfo.InvariantCulture));
            sb.Append("</table><h2>Providers</h2><table><tr><th>Provider</th><th>GPUs</th><th>Active</th><th>Utilisation</th><th>Jobs completed</th><th>Earnings (EDSC)</th></tr>");
            foreach (var p in f.Providers.Take(200))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(p.Address)}</td><td>{p.RegisteredGpus}</td><td>{p.ActiveGpus}</td><td>{p.UtilizationPercent:F1} %</td><td>{p.JobsCompleted}</td><td>{p.EarningsEdsc:F4}</td></tr>");
            }

            sb.Append("</table>");
            if (f.Providers.Count > 200)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p>… and {f.Providers.Count - 200} more (see /metrics).</p>");
            }
        }

        sb.Append("<p><a href=\"/metrics\">/metrics</a> · <a href=\"/readyz\">/readyz</a> · <a href=\"/livez\">/livez</a> · <a href=\"/healthz\">/healthz</a></p></body></html>");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
