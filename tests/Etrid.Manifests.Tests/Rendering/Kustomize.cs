using System.ComponentModel;
using System.Diagnostics;

namespace Etrid.Manifests.Tests.Rendering;

/// <summary>Renders a kustomization with the real <c>kubectl kustomize</c>, as an operator would.</summary>
internal static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Render(string directory)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH; the manifest tests render with `kubectl kustomize` (install kubectl, as .ci/run does)", e);
        }

        using (process)
        {
            // Both streams read concurrently, so a full stderr pipe cannot stall the child.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl kustomize {directory} did not finish within {Timeout}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl kustomize {directory} exited with {process.ExitCode}: {stderr.Result}");
            }

            return stdout.Result;
        }
    }
}
