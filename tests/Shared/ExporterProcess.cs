using System.Collections.Concurrent;
using System.Diagnostics;

namespace Etrid.Tests.Shared;

/// <summary>A built executable (<c>etrid-exporter</c>, <c>etrid-dev</c>) or a user's command line run as a separate process, as users run it; output collected line by line.</summary>
internal sealed class ExporterProcess : IAsyncDisposable
{
    /// <summary>The production executable: serve, check-config, inspect.</summary>
    public const string Exporter = "etrid-exporter";

    /// <summary>The dev executable: demo, devchain, devmarket, simulate.</summary>
    public const string Dev = "etrid-dev";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();

    private ExporterProcess(Process process)
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

    /// <summary>The process id (for reading <c>/proc</c>).</summary>
    public int Id => _process.Id;

    public string Stdout => string.Join('\n', _out);

    public string Stderr => string.Join('\n', _err);

    public IReadOnlyList<string> StderrLines => [.. _err];

    public IReadOnlyList<string> StdoutLines => [.. _out];

    /// <summary>Starts <paramref name="executable"/> (built beside the tests) with <paramref name="args"/>.</summary>
    public static ExporterProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string executable = Exporter)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, executable + ".dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Start(info, environment);
    }

    /// <summary>A command line as a user types it (e.g. the README's), run by <c>sh</c> in <paramref name="workingDirectory"/>.</summary>
    public static ExporterProcess StartShell(string commandLine, string workingDirectory)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(commandLine);
        return Start(info, null);
    }

    private static ExporterProcess Start(ProcessStartInfo info, IReadOnlyDictionary<string, string>? environment)
    {
        // A clean slate: no ETRID_* or logging settings leak in from the test runner's environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ETRID_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new ExporterProcess(new Process { StartInfo = info });
    }

    /// <summary>Runs <c>etrid-exporter</c> to the end and returns the exit code.</summary>
    public static Task<(int Exit, ExporterProcess Process)> RunAsync(params string[] args) => RunAsync(Exporter, args);

    /// <summary>Runs <paramref name="executable"/> to the end and returns the exit code.</summary>
    public static async Task<(int Exit, ExporterProcess Process)> RunAsync(string executable, string[] args)
    {
        var p = Start(args, null, executable);
        return (await p.WaitForExitAsync(), p);
    }

    public async Task<int> WaitForExitAsync(int timeoutSeconds = 60)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>The first stdout line containing <paramref name="marker"/>, once it is printed.</summary>
    public async Task<string> WaitForLineAsync(string marker, int timeoutSeconds = 60)
    {
        string? line = null;
        await Etrid.Tests.Shared.Eventually.WaitAsync(() => (line = _out.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))) is not null || _process.HasExited, $"'{marker}' on stdout (stderr: {Stderr})", timeoutSeconds);
        return line ?? throw new InvalidOperationException($"exited with {_process.ExitCode} before printing '{marker}'; stderr: {Stderr}");
    }

    /// <summary>Sends SIGTERM, as Kubernetes stops a pod, and returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    /// <summary>The URL on the line printed for <paramref name="marker"/> (the demo's "status page", "KEDA scaler", …).</summary>
    public async Task<Uri> UrlAsync(string marker, int timeoutSeconds = 120)
    {
        var line = await WaitForLineAsync(marker, timeoutSeconds);
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
