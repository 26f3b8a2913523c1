using Etrid.Exporter.Tests.Support;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Cli;

/// <summary>
/// Every verb as users run it: the built executable as a separate process, with the README's command
/// lines (ports made ephemeral), and every option with a bad value.
/// </summary>
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
    private const string LocalParts = "external_metrics:\n  listen: https://127.0.0.1:0\n  kubernetes:\n    mode: none\nkeda_scaler:\n  listen: http://127.0.0.1:0\n";

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
    public async Task DevChain_AcceptsHostColonPort_AndServesJsonRpc()
    {
        await using var p = ExporterProcess.Start(["devchain", "--listen", "127.0.0.1:0", "--seed", "1", "--block-time", "500ms"]);
        var url = new Uri(UrlOn(await p.WaitForLineAsync("serving JSON-RPC on")));
        await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [url], WatchdogBlocks = 0 });
        Assert.Equal("AI Compute PBC Development", await client.GetSystemChainAsync(default));
        Assert.Equal(0, await p.TerminateAsync());
    }

    [Fact]
    public async Task DevMarket_ServesTheMithrilApi_WithItsBearerToken()
    {
        await using var p = ExporterProcess.Start(["devmarket", "--listen", "127.0.0.1:0", "--seed", "1"]);
        var line = await p.WaitForLineAsync("serving the Mithril API v2 on");
        var token = line.Split("token ")[1].Split(',')[0];
        using var http = new HttpClient { BaseAddress = new Uri(UrlOn(line)) };
        using (var anonymous = await http.GetAsync("v2/me"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Contains("\"fid\"", await http.GetStringAsync("v2/me"), StringComparison.Ordinal);
        Assert.Equal(0, await p.TerminateAsync());
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
    public async Task Demo_PrintsItsUrls_AndTheFiguresGoLive()
    {
        await using var p = ExporterProcess.Start(["demo", "--listen", "127.0.0.1:0", "--chain-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--scaler-listen", "127.0.0.1:0", "--market-listen", "127.0.0.1:0", "--block-time", "500ms"]);
        var web = UrlOn(await p.WaitForLineAsync("status page"));
        using var http = new HttpClient { BaseAddress = new Uri(web) };
        await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "/readyz to answer 200");
        Assert.Contains("Ready", await http.GetStringAsync("/"), StringComparison.Ordinal);

        // The kubectl command the demo prints works as printed.
        Assert.StartsWith("kubeconfig  ", await p.WaitForLineAsync("kubeconfig  "), StringComparison.Ordinal);
        var command = (await p.WaitForLineAsync("try: kubectl"))["try: ".Length..].Trim();
        using var kubectl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await kubectl.StandardOutput.ReadToEndAsync();
        var errors = await kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, errors);
        Assert.Contains("\"kind\":\"ExternalMetricValueList\"", output, StringComparison.Ordinal);

        // Every part runs without a cluster, and then the Kubernetes client library stays unloaded (resident memory, BENCHMARKS.md).
        Assert.DoesNotContain("KubernetesClient.dll", await File.ReadAllTextAsync($"/proc/{p.Id}/maps"), StringComparison.Ordinal);
        Assert.Equal(0, await p.TerminateAsync());
    }

    [Fact]
    public async Task Simulate_PrintsTheTable_WithTheCostRatioToTheLowerBound()
    {
        // The README's command line; a simulated day takes seconds.
        var p = ExporterProcess.Start(["simulate", "--seed", "1"]);
        Assert.Equal(0, await p.WaitForExitAsync(timeoutSeconds: 300));
        Assert.Contains(p.StdoutLines, l => l.StartsWith("configured ", StringComparison.Ordinal));
        Assert.Contains(p.StdoutLines, l => l.StartsWith("naive ", StringComparison.Ordinal));
        var ratio = Assert.Single(p.StdoutLines, l => l.StartsWith("cost ratio to lower bound: ", StringComparison.Ordinal));
        Assert.True(double.Parse(ratio["cost ratio to lower bound: ".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 1, ratio);
    }

    [Fact]
    public async Task Simulate_WithAConfigWithoutPools_SaysSo()
    {
        var (exit, p) = await ExporterProcess.RunAsync("simulate", "--config", Write("pbc: ai-compute\n"));
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains("mithril_auto.pool_details", p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevChain_WithABurstyWorkloadAndAPast_ServesJsonRpc()
    {
        await using var p = ExporterProcess.Start(["devchain", "--listen", "127.0.0.1:0", "--block-time", "200ms", "--workload", "bursty", "--history-blocks", "20", "--provider-popularity"]);
        var url = UrlOn(await p.WaitForLineAsync("serving JSON-RPC on"));
        using var http = new HttpClient();
        var body = await http.PostAsync(url.Replace("ws://", "http://", StringComparison.Ordinal), new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_getHeader\",\"params\":[]}", System.Text.Encoding.UTF8, "application/json"));
        var text = await body.Content.ReadAsStringAsync();
        // The past was produced before serving: the head is beyond the 20 history blocks.
        var number = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("result").GetProperty("number").GetString()!;
        Assert.True(Convert.ToInt64(number, 16) >= 20, text);
        Assert.Equal(0, await p.TerminateAsync());
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
    [InlineData("--listen", "devchain", "--listen", "127.0.0.1:abc")]
    [InlineData("--jobs", "devchain", "--jobs", "many")]
    [InlineData("--jobs", "devchain", "--jobs", "-5")]
    [InlineData("--block-time", "devchain", "--block-time", "soon")]
    [InlineData("--arrival-rate", "devchain", "--arrival-rate", "x")]
    [InlineData("--seed", "demo", "--seed", "x")]
    [InlineData("--chain-listen", "demo", "--chain-listen", "nowhere:")]
    [InlineData("--listen", "demo", "--listen", "ftp://x:1")]
    [InlineData("absent.yaml", "serve", "--config", "absent.yaml")]
    [InlineData("absent.yaml", "check-config", "--config", "absent.yaml")]
    [InlineData("--bogus", "check-config", "--bogus")]
    [InlineData("--fault-429", "devmarket", "--fault-429", "2")]
    [InlineData("--tick", "devmarket", "--tick", "often")]
    [InlineData("--listen", "devmarket", "--listen", "127.0.0.1:http")]
    [InlineData("--workload", "devchain", "--workload", "sometimes")]
    [InlineData("--history-blocks", "devchain", "--history-blocks", "lots")]
    [InlineData("--seed", "simulate", "--seed", "x")]
    [InlineData("absent.yaml", "simulate", "--config", "absent.yaml")]
    [InlineData("--market-listen", "demo", "--market-listen", "nowhere:")]
    [InlineData("--timeout", "inspect", "--endpoint", "ws://127.0.0.1:9", "--timeout", "2562047h")]
    [InlineData("--block-time", "devchain", "--listen", "127.0.0.1:0", "--block-time", "2562047h")]
    [InlineData("--tick", "devmarket", "--listen", "127.0.0.1:0", "--tick", "2562047h")]
    [InlineData("--auction-interval", "devmarket", "--listen", "127.0.0.1:0", "--auction-interval", "2562047h")]
    [InlineData("nonsense", "nonsense")]
    public async Task BadOptions_GiveOneClearLineNamingThem_ANonZeroExit_AndNoStackTrace(string named, params string[] args)
    {
        var (exit, p) = await ExporterProcess.RunAsync(args);
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains(named, p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_ListsEveryProblemWithItsKey_AndExits2()
    {
        var config = Write("chain:\n  windw: 5m\n  sync_parallelism: 100\n  endpoints: [foo]\n");
        var (exit, p) = await ExporterProcess.RunAsync("serve", "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.windw: unknown key", StringComparison.Ordinal));
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.sync_parallelism:", StringComparison.Ordinal));
        Assert.Contains(p.StderrLines, l => l.StartsWith("error: chain.endpoints[0]:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
