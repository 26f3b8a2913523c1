using System.ComponentModel;
using System.Diagnostics;

namespace Etrid.Manifests.Tests.Alerts;

/// <summary>Runs the real <c>promtool</c> (Debian package prometheus, installed by .ci/run).</summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs promtool with <paramref name="arguments"/> in <paramref name="directory"/>; returns the exit code and all its output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not on PATH: apt-get install prometheus (.ci/run does)", e);
        }

        using (process)
        using (var cts = new CancellationTokenSource(Timeout))
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
