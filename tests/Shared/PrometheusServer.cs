using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Etrid.Tests.Shared;

/// <summary>A real Prometheus server (Debian package prometheus) scraping one target every second, queried over its HTTP API.</summary>
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
        // Port 0: Prometheus binds an ephemeral port itself and logs it, so no other process can take it first.
        var start = new ProcessStartInfo("prometheus", [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", "--web.listen-address=127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("prometheus is not installed: apt-get install prometheus (.ci/run does)", e);
        }

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

    /// <summary>How many series an instant query returns (0 while there is no data or the server is starting); a query Prometheus rejects throws with its error.</summary>
    public async Task<int> CountSeriesAsync(string promql)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return 0; // still starting (the storage is not ready)
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (doc.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected `{promql}`: {doc.RootElement.GetProperty("error").GetString()}");
        }

        var data = doc.RootElement.GetProperty("data");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
    }

    /// <summary>The values of <paramref name="label"/> on the series of <paramref name="metric"/>, as Grafana's label_values() asks.</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string metric, string label)
    {
        using var response = await _http.GetAsync($"api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(metric)}");
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return []; // still starting
        }

        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString()!)];
    }

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
