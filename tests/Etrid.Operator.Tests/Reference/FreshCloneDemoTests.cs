using System.Diagnostics;
using System.Text.Json.Nodes;
using Etrid.Tests.Shared;

namespace Etrid.Operator.Tests.Reference;

/// <summary>
/// What a newcomer does: clone the repository, run the README's demo command in it, open the status page
/// and /metrics, and watch a burst happen and drain. Nothing is prepared beforehand: the README's command
/// builds and starts everything.
/// </summary>
public sealed class FreshCloneDemoTests : IDisposable
{
    private readonly string _clone = Path.Combine(Path.GetTempPath(), "etrid-fresh-clone-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_readmes_demo_command_in_a_fresh_clone_shows_live_figures_and_a_burst_that_is_released()
    {
        var root = RepositoryRoot.Path;
        Run("git", ["clone", "--quiet", root, _clone], root);
        var command = DemoCommand(File.ReadAllText(Path.Combine(_clone, "README.md")));
        Assert.StartsWith("dotnet run --project src/Etrid.DevTools", command, StringComparison.Ordinal);

        await using var demo = ExporterProcess.StartShell(command, _clone);
        // The first run builds the dev executable, and the exporter it runs, in the clone.
        var web = new Uri((await demo.WaitForLineAsync("status page", timeoutSeconds: 600)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Last());
        using var http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };

        // Live figures: ready, and the block the figures were taken at moves on.
        JsonNode? status = null;
        await Eventually.WaitAsync(async () => (status = JsonNode.Parse(await http.GetStringAsync("/status")))!["ready"]!.GetValue<bool>(), "the demo to be ready", 180);
        var firstBlock = status!["chain"]!["snapshot"]!["block"]!.GetValue<long>();
        await Eventually.WaitAsync(async () => JsonNode.Parse(await http.GetStringAsync("/status"))!["chain"]!["snapshot"]!["block"]!.GetValue<long>() > firstBlock, "a newer block on /status", 60);
        Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"}", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);

        // A burst: an owned bid allocated and its GPUs running on the dev chain (the status page's burst section, and /metrics) ...
        await Eventually.WaitAsync(async () => RunningBurstGpus(await http.GetStringAsync("/metrics")) > 0, "burst GPUs running (etrid_burst_running_gpus > 0)", 240);
        var burst = JsonNode.Parse(await http.GetStringAsync("/status"))!["burst"]!;
        Assert.Contains(burst["pools"]!.AsArray(), p => p!["bids"]!.AsArray().Any(b => (string?)b!["status"] == "Allocated"));
        Assert.Contains(burst["decisions"]!.AsArray(), d => (string?)d!["action"] == "create");

        // ... and released once the surge drained: nothing running, nothing allocated.
        await Eventually.WaitAsync(
            async () =>
            {
                var metrics = await http.GetStringAsync("/metrics");
                return RunningBurstGpus(metrics) == 0 && Sum(metrics, "etrid_burst_bids{", "status=\"allocated\"") == 0 && Sum(metrics, "etrid_burst_bids{", "status=\"open\"") == 0;
            },
            "the burst to be released (no running burst GPUs, no allocated or open bids)",
            300);
        var decisions = JsonNode.Parse(await http.GetStringAsync("/status"))!["burst"]!["decisions"]!.AsArray();
        Assert.Contains(decisions, d => (string?)d!["action"] is "pause" or "cancel");
    }

    public void Dispose()
    {
        if (Directory.Exists(_clone))
        {
            Directory.Delete(_clone, recursive: true);
        }
    }

    /// <summary>The demo line of the README's set-up block: the first <c>dotnet run … demo</c> command in it.</summary>
    private static string DemoCommand(string readme) =>
        readme.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("dotnet run ", StringComparison.Ordinal) && l.EndsWith(" demo", StringComparison.Ordinal));

    private static double RunningBurstGpus(string metrics) => Sum(metrics, "etrid_burst_running_gpus{", string.Empty);

    private static double Sum(string metrics, string prefix, string mustContain) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(mustContain, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private static void Run(string file, string[] args, string directory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
