using System.Collections.Concurrent;
using System.Diagnostics;
using Etrid.Tests.Shared;

namespace Etrid.Operator.Tests.Support;

/// <summary>The built <c>etrid-exporter demo</c> run as a separate process, every listener on an ephemeral loopback port.</summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();

    private DemoProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _out.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _err.Enqueue(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stderr => string.Join('\n', _err);

    public static DemoProcess Start()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll"));
        foreach (var a in new[] { "demo", "--listen", "127.0.0.1:0", "--chain-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--scaler-listen", "127.0.0.1:0", "--market-listen", "127.0.0.1:0", "--block-time", "500ms" })
        {
            info.ArgumentList.Add(a);
        }

        return Start(info);
    }

    /// <summary>A command line as a user types it (e.g. the README's), run by <c>sh</c> in <paramref name="workingDirectory"/>.</summary>
    public static DemoProcess StartShell(string commandLine, string workingDirectory)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(commandLine);
        return Start(info);
    }

    private static DemoProcess Start(ProcessStartInfo info)
    {
        // No ETRID_* or logging settings leak in from the test runner's environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ETRID_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        return new DemoProcess(new Process { StartInfo = info });
    }

    /// <summary>The first stdout line containing <paramref name="marker"/>, once printed.</summary>
    public async Task<string> WaitForLineAsync(string marker, int timeoutSeconds = 120)
    {
        string? line = null;
        await Eventually.WaitAsync(() => (line = _out.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))) is not null || _process.HasExited, $"'{marker}' on the demo's stdout (stderr: {Stderr})", timeoutSeconds);
        return line ?? throw new InvalidOperationException($"the demo exited with {_process.ExitCode} before printing '{marker}'; stderr: {Stderr}");
    }

    /// <summary>The URL on the line the demo prints for <paramref name="marker"/>.</summary>
    public async Task<Uri> UrlAsync(string marker)
    {
        var line = await WaitForLineAsync(marker);
        return new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.Contains("://", StringComparison.Ordinal)).TrimEnd(',', ';', ')'));
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
