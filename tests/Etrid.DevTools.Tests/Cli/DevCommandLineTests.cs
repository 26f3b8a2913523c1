using Etrid.DevTools.Tests.Support;
using Etrid.Substrate.Rpc;
using Etrid.Tests.Shared;

namespace Etrid.DevTools.Tests.Cli;

/// <summary>
/// Every verb of <c>etrid-dev</c> as users run it: the built executable as a separate process, with the README's
/// command lines (ports made ephemeral); every option with a bad value through the same entry point in-process.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DevCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-dev-cli-").FullName;

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "exporter.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string UrlOn(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.Contains("://", StringComparison.Ordinal)).TrimEnd(',', ';', ')');

    private static ExporterProcess StartDev(params string[] args) => ExporterProcess.Start(args, null, ExporterProcess.Dev);

    [Fact]
    public async Task DevChain_AcceptsHostColonPort_AndServesJsonRpc()
    {
        await using var p = StartDev("devchain", "--listen", "127.0.0.1:0", "--seed", "1", "--block-time", "500ms");
        var url = new Uri(UrlOn(await p.WaitForLineAsync("serving JSON-RPC on")));
        await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [url], WatchdogBlocks = 0 });
        Assert.Equal("AI Compute PBC Development", await client.GetSystemChainAsync(default));
        Assert.Equal(0, await p.TerminateAsync());
    }

    [Fact]
    public async Task DevMarket_ServesTheMithrilApi_WithItsBearerToken()
    {
        await using var p = StartDev("devmarket", "--listen", "127.0.0.1:0", "--seed", "1");
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
    public async Task Demo_PrintsItsUrls_AndTheFiguresGoLive()
    {
        await using var p = StartDev("demo", "--listen", "127.0.0.1:0", "--chain-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--scaler-listen", "127.0.0.1:0", "--market-listen", "127.0.0.1:0", "--block-time", "500ms");
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
        await using var p = StartDev("simulate", "--seed", "1");
        Assert.Equal(0, await p.WaitForExitAsync(timeoutSeconds: 300));
        Assert.Contains(p.StdoutLines, l => l.StartsWith("configured ", StringComparison.Ordinal));
        Assert.Contains(p.StdoutLines, l => l.StartsWith("naive ", StringComparison.Ordinal));
        var ratio = Assert.Single(p.StdoutLines, l => l.StartsWith("cost ratio to lower bound: ", StringComparison.Ordinal));
        Assert.True(double.Parse(ratio["cost ratio to lower bound: ".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 1, ratio);
    }

    [Fact]
    public async Task Simulate_WithAConfigWithoutPools_SaysSo()
    {
        var p = await DevCliRun.RunAsync("simulate", "--config", Write("pbc: ai-compute\n"));
        Assert.Equal(2, p.Exit);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains("mithril_auto.pool_details", p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevChain_WithABurstyWorkloadAndAPast_ServesJsonRpc()
    {
        await using var p = StartDev("devchain", "--listen", "127.0.0.1:0", "--block-time", "200ms", "--workload", "bursty", "--history-blocks", "20", "--provider-popularity");
        var url = UrlOn(await p.WaitForLineAsync("serving JSON-RPC on"));
        using var http = new HttpClient();
        var body = await http.PostAsync(url.Replace("ws://", "http://", StringComparison.Ordinal), new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_getHeader\",\"params\":[]}", System.Text.Encoding.UTF8, "application/json"));
        var text = await body.Content.ReadAsStringAsync();
        // The past was produced before serving: the head is beyond the 20 history blocks.
        var number = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("result").GetProperty("number").GetString()!;
        Assert.True(Convert.ToInt64(number, 16) >= 20, text);
        Assert.Equal(0, await p.TerminateAsync());
    }

    [Theory]
    [InlineData("--listen", "devchain", "--listen", "127.0.0.1:abc")]
    [InlineData("--jobs", "devchain", "--jobs", "many")]
    [InlineData("--jobs", "devchain", "--jobs", "-5")]
    [InlineData("--block-time", "devchain", "--block-time", "soon")]
    [InlineData("--arrival-rate", "devchain", "--arrival-rate", "x")]
    [InlineData("--seed", "demo", "--seed", "x")]
    [InlineData("--chain-listen", "demo", "--chain-listen", "nowhere:")]
    [InlineData("--listen", "demo", "--listen", "ftp://x:1")]
    [InlineData("--fault-429", "devmarket", "--fault-429", "2")]
    [InlineData("--tick", "devmarket", "--tick", "often")]
    [InlineData("--listen", "devmarket", "--listen", "127.0.0.1:http")]
    [InlineData("--workload", "devchain", "--workload", "sometimes")]
    [InlineData("--history-blocks", "devchain", "--history-blocks", "lots")]
    [InlineData("--seed", "simulate", "--seed", "x")]
    [InlineData("absent.yaml", "simulate", "--config", "absent.yaml")]
    [InlineData("--market-listen", "demo", "--market-listen", "nowhere:")]
    [InlineData("--block-time", "devchain", "--listen", "127.0.0.1:0", "--block-time", "2562047h")]
    [InlineData("--tick", "devmarket", "--listen", "127.0.0.1:0", "--tick", "2562047h")]
    [InlineData("--auction-interval", "devmarket", "--listen", "127.0.0.1:0", "--auction-interval", "2562047h")]
    [InlineData("nonsense", "nonsense")]
    [InlineData("serve", "serve")]
    public async Task BadOptions_GiveOneClearLineNamingThem_ANonZeroExit_AndNoStackTrace(string named, params string[] args)
    {
        var p = await DevCliRun.RunAsync(args);
        Assert.NotEqual(0, p.Exit);
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains(named, p.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOption_InTheBuiltExecutable_GivesOneClearLine_Exit2_AndNoStackTrace()
    {
        var (exit, p) = await ExporterProcess.RunAsync(ExporterProcess.Dev, ["devchain", "--jobs", "many"]);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error:", p.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains("--jobs", p.StderrLines[0], StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
