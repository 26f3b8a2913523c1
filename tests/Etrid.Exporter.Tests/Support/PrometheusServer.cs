using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Etrid.Exporter.Tests.Support;

/// <summary>A real Prometheus server (Debian package prometheus) scraping one target every second.</summary>
internal sealed partial class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string dir, Uri url)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = url };
    }

    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        var dir = Directory.CreateTempSubdirectory("etrid-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: etrid
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        // Port 0: the server binds an ephemeral port itself and logs it, so no other process can take it first.
        var start = new ProcessStartInfo("prometheus", [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", "--web.listen-address=127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = ToolProcess.Start(start, "apt-get install prometheus (.ci/run does)");
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Watch(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line && line.Contains("msg=\"Listening on\"", StringComparison.Ordinal) && ListeningOn().Match(line) is { Success: true } m)
            {
                bound.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        process.OutputDataReceived += Watch;
        process.ErrorDataReceived += Watch;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var port = await bound.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new PrometheusServer(process, dir, new Uri($"http://127.0.0.1:{port}/"));
    }

    [GeneratedRegex(@"address=127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();

    /// <summary>The value of an instant query with one result, or null while there is none (or the server is starting).</summary>
    public async Task<string?> QueryScalarAsync(string promql)
    {
        try
        {
            var json = await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
            using var doc = JsonDocument.Parse(json);
            var result = doc.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
