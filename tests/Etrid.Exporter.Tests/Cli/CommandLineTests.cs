using Etrid.Exporter.Tests.Support;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Cli;

/// <summary>
/// Every verb of <c>etrid-exporter</c> as users run it: the built executable as a separate process, with the
/// README's command lines (ports made ephemeral); every option with a bad value through the same entry point
/// in-process (no process per parse error).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-cli-").FullName;

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "exporter.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    // The API and the scaler on ephemeral ports, the API standalone (no cluster here).
    private const string LocalParts = "kubernetes:\n  mode: none\nexternal_metrics:\n  listen: https://127.0.0.1:0\nkeda_scaler:\n  listen: http://127.0.0.1:0\n";

    private static string UrlOn(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.Contains("://", StringComparison.Ordinal)).TrimEnd(',', ';', ')');

    [Fact]
    public async Task Inspect_WithAWebSocketUrl_PrintsTheChain()
    {
        await using var dev = await DevChainHarness.StartAsync(jobs: 50, gpus: 4);
        var (exit, p) = await ExporterProcess.RunAsync("inspect", "--endpoint", $"ws://127.0.0.1:{dev.Url.Port}/");
        Assert.True(exit == 0, p.Stderr);
        Assert.Contains("AI Compute PBC Development", p.Stdout, StringComparison.Ordinal);
        Assert.Contains("figures at block", p.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithAConfigFile_BecomesReady_AndStopsCleanlyOnSigterm()
    {
        await using var dev = await DevChainHarness.StartAsync(jobs: 50, gpus: 4);
        var config = Write($"chain:\n  endpoints: [\"{dev.Url}\"]\nlisten:\n  metrics: http://127.0.0.1:0\n{LocalParts}");
        await using var p = ExporterProcess.Start(["serve", "--config", config]);
        var web = UrlOn(await p.WaitForLineAsync("serving /metrics"));
        using var http = new HttpClient { BaseAddress = new Uri(web) };
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "/readyz to answer 200");
        Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"}", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Equal(0, await p.TerminateAsync());
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_PrintsTheEffectiveConfiguration_WithSecretsRedacted()
    {
        var config = Write("chain:\n  endpoints: [\"wss://user:hunter2@node.example:9944/?apikey=s3cret\"]\n  staleness_limit: 2m\n");
        var (exit, p) = await ExporterProcess.RunAsync("check-config", "--config", config);
        Assert.Equal(0, exit);
        Assert.Contains("staleness_limit: 120s", p.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", p.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", p.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentLogLevels_TuneTheLogging()
    {
        await using var dev = await DevChainHarness.StartAsync(jobs: 50, gpus: 4);
        var config = Write($"chain:\n  endpoints: [\"{dev.Url}\"]\nlisten:\n  metrics: http://127.0.0.1:0\n{LocalParts}");
        await using var quiet = ExporterProcess.Start(["serve", "--config", config], new Dictionary<string, string> { ["Logging__LogLevel__Etrid"] = "Warning" });
        await using var normal = ExporterProcess.Start(["serve", "--config", config]);
        await normal.WaitForLineAsync("Synced at block");
        var web = UrlOn(await quiet.WaitForLineAsync("serving /metrics"));
        using var http = new HttpClient { BaseAddress = new Uri(web) };
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "the quiet exporter to be ready");
        Assert.DoesNotContain("Synced at block", quiet.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--endpoint", "inspect", "--endpoint", "not a url")]
    [InlineData("--endpoint", "inspect", "--endpoint", "ftp://node:21")]
    [InlineData("--endpoint", "inspect")]
    [InlineData("--timeout", "inspect", "--endpoint", "ws://127.0.0.1:9", "--timeout", "soon")]
    [InlineData("absent.yaml", "serve", "--config", "absent.yaml")]
    [InlineData("absent.yaml", "check-config", "--config", "absent.yaml")]
    [InlineData("--bogus", "check-config", "--bogus")]
    [InlineData("--timeout", "inspect", "--endpoint", "ws://127.0.0.1:9", "--timeout", "2562047h")]
    [InlineData("nonsense", "nonsense")]
    [InlineData("demo", "demo")]
    public async Task BadOptions_GiveOneClearLineNamingThem_ANonZeroExit_AndNoStackTrace(string named, params string[] args)
    {
        var p = await CliRun.ExporterAsync(args);
        Assert.NotEqual(0, p.Exit);
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains(named, p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOption_InTheBuiltExecutable_GivesOneClearLine_Exit2_AndNoStackTrace()
    {
        var (exit, p) = await ExporterProcess.RunAsync("check-config", "--bogus");
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: Unrecognized command or argument '--bogus'", p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_ListsEveryProblemWithItsKey_AndExits2()
    {
        var config = Write("chain:\n  windw: 5m\n  sync_parallelism: 100\n  endpoints: [foo]\n");
        var p = await CliRun.ExporterAsync(["serve", "--config", config]);
        Assert.Equal(2, p.Exit);
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.windw: unknown key", StringComparison.Ordinal));
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.sync_parallelism:", StringComparison.Ordinal));
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.endpoints[0]:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
