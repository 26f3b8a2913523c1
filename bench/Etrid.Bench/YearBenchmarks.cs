using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Snapshots;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.Substrate.Rpc;

namespace Etrid.Bench;

/// <summary>
/// Issue 16, "a year of chain": 1,000,000 jobs and 100,000 GPUs of 10,000 providers. The cold sync, peak
/// resident and <c>/metrics</c> latency of the exporter in its own process against the dev chain in another
/// (<see cref="RunAsync"/>); the per-block work at 1,000,000 against 1,000 jobs (<see cref="RunPerBlockAsync"/>);
/// and the cold sync against polkadot.js <c>entries()</c> on one 100,000-job chain (<see cref="RunPolkadotAsync"/>).
/// </summary>
internal static class YearBenchmarks
{
    private const int Jobs = 1_000_000;
    private const int Gpus = 100_000;
    private const int Providers = 10_000;

    /// <summary>Cold sync time, peak resident and /metrics latency at a year of chain (two processes).</summary>
    public static async Task RunAsync(TextWriter report)
    {
        var exporterDll = Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll");
        var devDll = Path.Combine(AppContext.BaseDirectory, "etrid-dev.dll");
        var seeding = Stopwatch.StartNew();
        using var chain = Start(devDll, ["devchain", "--listen", "http://127.0.0.1:29471", "--jobs", Text(Jobs), "--gpus", Text(Gpus), "--providers", Text(Providers), "--block-time", "6s", "--finality-lag", "1"], [], new());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await WaitAsync(() => AnswersAsync(http, "http://127.0.0.1:29471/", anyAnswer: true), TimeSpan.FromMinutes(10), chain);
        var seeded = seeding.Elapsed;

        var log = new ConcurrentQueue<string>();
        var started = Stopwatch.StartNew();
        using var exporter = Start(exporterDll, ["serve"], new()
        {
            ["ETRID_CHAIN__ENDPOINTS"] = "ws://127.0.0.1:29471",
            ["ETRID_LISTEN__METRICS"] = "http://127.0.0.1:29472",
            ["ETRID_CHAIN__BLOCK_TIME"] = "6s",
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = "false",
            ["ETRID_KEDA_SCALER__ENABLED"] = "false",
            ["DOTNET_GCgen0size"] = "400000", // as the Dockerfile sets it
            // A verification a minute after the sync, so the peak includes one (it reads every value again).
            ["ETRID_CHAIN__VERIFY_INTERVAL"] = "60s",
        }, log);
        try
        {
            await WaitAsync(() => AnswersAsync(http, "http://127.0.0.1:29472/readyz"), TimeSpan.FromMinutes(5), exporter, chain);
            var ready = started.Elapsed;
            if (exporter.HasExited || chain.HasExited)
            {
                // Another process answered on the port: these figures would be its.
                throw new InvalidOperationException("the exporter or the dev chain exited: " + string.Join(Environment.NewLine, log.TakeLast(20)));
            }
            var synced = log.Select(SyncMilliseconds).LastOrDefault(ms => ms is not null);
            var cpu = CpuSeconds(exporter.Id);

            // Scrapes one after another, as Prometheus does, for the latency of a whole answer.
            var samples = new List<double>();
            for (var i = 0; i < 220; i++)
            {
                var sw = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:29472/metrics");
                request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
                using var response = await http.SendAsync(request);
                _ = await response.Content.ReadAsByteArrayAsync();
                if (i >= 20)
                {
                    samples.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            samples.Sort();
            var afterScrapes = ProcessStatus.Read(exporter.Id);

            // The first verification: every job and GPU read again and compared with the kept state.
            await WaitAsync(() => Task.FromResult(log.Any(l => l.Contains("Verified the kept state", StringComparison.Ordinal))), TimeSpan.FromMinutes(5));
            var verified = log.Select(VerifyMilliseconds).LastOrDefault(ms => ms is not null);
            var status = ProcessStatus.Read(exporter.Id);
            report.WriteLine($"| Dev chain seeded with 1,000,000 jobs + 100,000 GPUs of 10,000 providers (its own process) | {seeded.TotalSeconds:0.0} s | | — |");
            report.WriteLine($"| Cold sync, 1,000,000 jobs + 100,000 GPUs: the follower's own figure / process start to `/readyz` ok | {(synced is { } ms ? $"{ms / 1000:0.0} s" : "—")} / {ready.TotalSeconds:0.0} s | | ≤ 15 s |");
            report.WriteLine($"| Exporter CPU time to that point (user + system) | {cpu:0.0} s | | — |");
            report.WriteLine($"| Exporter peak resident (VmHWM) after the sync and 200 scrapes / resident then | {afterScrapes.Megabytes("VmHWM"):0} MB / {afterScrapes.Megabytes("VmRSS"):0} MB | | ≤ 250 MB |");
            report.WriteLine($"| Verification of the kept state (every value read again and compared) / peak resident (VmHWM) after it / resident then | {(verified is { } v ? $"{v / 1000:0.0} s" : "—")} / {status.Megabytes("VmHWM"):0} MB / {status.Megabytes("VmRSS"):0} MB | | ≤ 250 MB |");
            report.WriteLine($"| `/metrics` over HTTP at 1,000,000 jobs, 10,000 providers (OpenMetrics, 200 scrapes) | {Measure.Ms(samples[samples.Count / 2])} | {Measure.Ms(samples[(int)Math.Ceiling(samples.Count * 0.99) - 1])} | p99 ≤ 50 ms |");
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            chain.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            await chain.WaitForExitAsync();
        }
    }

    /// <summary>Finalized block → snapshot at 1,000 and at 1,000,000 jobs, the same 100,000 GPUs of 10,000 providers.</summary>
    public static async Task RunPerBlockAsync(TextWriter report)
    {
        var small = await PerBlockAsync(1_000);
        var large = await PerBlockAsync(Jobs);
        report.WriteLine($"| Finalized block → new snapshot, 1,000 jobs + 100,000 GPUs (200 blocks) | {Measure.Ms(small.Median)} | {Measure.Ms(small.P99)} | — |");
        report.WriteLine($"| Finalized block → new snapshot, 1,000,000 jobs + 100,000 GPUs (200 blocks) | {Measure.Ms(large.Median)} | {Measure.Ms(large.P99)} | within 2× of 1,000 |");
        report.WriteLine($"| Ratio 1,000,000 / 1,000 jobs (median) | {(large.Median / small.Median).ToString("0.00", CultureInfo.InvariantCulture)}× | | ≤ 2× |");
    }

    /// <summary>
    /// The exporter's cold sync against polkadot.js <c>entries()</c> of the same two maps, on one 100,000-job chain in its own
    /// process (as a node is: neither client shares its process or its heap), both in this run. One sync first, unmeasured,
    /// warms the dev chain's code paths and the exporter's; polkadot.js, which runs last, finds the chain as warm.
    /// </summary>
    public static async Task RunPolkadotAsync(string root, TextWriter report)
    {
        var interop = Path.Combine(root, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "@polkadot", "api")))
        {
            throw new InvalidOperationException("polkadot.js is not installed: run 'npm ci' in tests/interop");
        }

        var devDll = Path.Combine(AppContext.BaseDirectory, "etrid-dev.dll");
        var log = new ConcurrentQueue<string>();
        // No block during the run (24 h block time): both clients read the very same state.
        using var chain = Start(devDll, ["devchain", "--listen", "http://127.0.0.1:29475", "--jobs", "100000", "--gpus", "10000", "--providers", Text(Providers / 4), "--block-time", "24h", "--finality-lag", "0"], [], log);
        try
        {
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            {
                await WaitAsync(() => AnswersAsync(http, "http://127.0.0.1:29475/", anyAnswer: true), TimeSpan.FromMinutes(5), chain);
            }

            var url = new Uri("ws://127.0.0.1:29475");
            var load = LoadAverage();
            await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [url], WatchdogBlocks = 0, RequestTimeout = TimeSpan.FromMinutes(2) });
            await client.WaitConnectedAsync(default);
            var ours = new List<(double Wall, double Cpu, double ChainCpu)>();
            using var self = Process.GetCurrentProcess();
            for (var i = 0; i < 4; i++)
            {
                var follower = new ChainFollower(client, new FollowerOptions(), new ChainSnapshotHub(TimeSpan.FromMinutes(1)));
                self.Refresh();
                var cpu = self.TotalProcessorTime;
                var chainCpu = CpuSeconds(chain.Id);
                var sw = Stopwatch.StartNew();
                await follower.SyncOnceAsync(default);
                var wall = sw.Elapsed.TotalMilliseconds;
                self.Refresh();
                ours.Add((wall, (self.TotalProcessorTime - cpu).TotalMilliseconds, (CpuSeconds(chain.Id) - chainCpu) * 1000));
            }

            var first = ours[0];
            ours.RemoveAt(0);
            var chainBefore = CpuSeconds(chain.Id);
            var start = new ProcessStartInfo("node", [Path.Combine(root, "bench", "polkadot", "entries.mjs"), url.ToString(), interop]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var node = Process.Start(start)!;
            var output = await node.StandardOutput.ReadToEndAsync();
            var errors = await node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"polkadot.js failed: {errors}");
            }

            var chainForThem = (CpuSeconds(chain.Id) - chainBefore) * 1000;
            using var result = JsonDocument.Parse(output);
            var theirs = result.RootElement.GetProperty("milliseconds").GetDouble();
            var best = ours.MinBy(o => o.Wall);
            report.WriteLine($"| Load average at the start / at the end | {load} / {LoadAverage()} | | — |");
            report.WriteLine($"| Cold sync, 100,000 jobs + 10,000 GPUs, this exporter: best of 3 after one warm-up (the warm-up itself) | {Measure.Ms(best.Wall)} ({Measure.Ms(first.Wall)}) | | — |");
            report.WriteLine($"| CPU time of that sync: exporter / dev chain (mean of the 3: exporter / dev chain) | {Measure.Ms(best.Cpu)} / {Measure.Ms(best.ChainCpu)} ({Measure.Ms(ours.Average(o => o.Cpu))} / {Measure.Ms(ours.Average(o => o.ChainCpu))}) | | — |");
            report.WriteLine($"| polkadot.js `jobs.entries()` + `gpuNodes.entries()` on the same chain ({result.RootElement.GetProperty("jobs").GetInt32():N0} + {result.RootElement.GetProperty("gpus").GetInt32():N0} entries); dev chain CPU time meanwhile | {Measure.Ms(theirs)}; {Measure.Ms(chainForThem)} | | — |");
            report.WriteLine($"| Ratio polkadot.js / exporter | {(theirs / best.Wall).ToString("0.0", CultureInfo.InvariantCulture)}× | | ≥ 15× |");
        }
        finally
        {
            chain.Kill(entireProcessTree: true);
            await chain.WaitForExitAsync();
        }
    }

    // The 1-, 5- and 15-minute load averages, as uptime prints them.
    private static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<(double Median, double P99)> PerBlockAsync(int jobs)
    {
        var (chain, server, url) = await StartChainAsync(jobs, Gpus, Providers);
        await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [url], WatchdogBlocks = 0, RequestTimeout = TimeSpan.FromMinutes(2) });
        var store = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
        var follower = new ChainFollower(client, new FollowerOptions { VerifyInterval = TimeSpan.Zero }, store);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => follower.RunAsync(stop.Token));
        try
        {
            await WaitAsync(() => Task.FromResult(store.Current is not null), TimeSpan.FromMinutes(5));
            await Measure.OneBlockAsync(chain, store, 20);
            var samples = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                samples.Add(await Measure.OneBlockAsync(chain, store, 1));
            }

            samples.Sort();
            return (samples[samples.Count / 2], samples[(int)Math.Ceiling(samples.Count * 0.99) - 1]);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await server.DisposeAsync();
            await chain.DisposeAsync();
        }
    }

    private static async Task<(DevChain.Chain.DevChain Chain, DevChainServer Server, Uri Url)> StartChainAsync(int jobs, int gpus, int providers)
    {
        var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = jobs, Gpus = gpus, Providers = providers, BlockTime = TimeSpan.Zero, FinalityLag = 0, ArrivalRate = 3 });
        var server = new DevChainServer(chain);
        var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        return (chain, server, url);
    }

    // "Synced at block 12: 1000000 jobs, 100000 GPUs in 9876 ms" → 9876.
    private static double? SyncMilliseconds(string line)
    {
        var at = line.IndexOf("Synced at block", StringComparison.Ordinal);
        if (at < 0 || !line.EndsWith(" ms", StringComparison.Ordinal))
        {
            return null;
        }

        var words = line[..^3].Split(' ');
        return double.TryParse(words[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }

    // "Verified the kept state at block 20: 0 value(s) differed, in 9876 ms" → 9876.
    private static double? VerifyMilliseconds(string line) =>
        line.Contains("Verified the kept state", StringComparison.Ordinal) ? SyncMillisecondsAfter(line) : null;

    private static double? SyncMillisecondsAfter(string line)
    {
        if (!line.EndsWith(" ms", StringComparison.Ordinal))
        {
            return null;
        }

        var words = line[..^3].Split(' ');
        return double.TryParse(words[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }

    private static double CpuSeconds(int pid)
    {
        // Fields 14 and 15 of /proc/pid/stat (after the command in parentheses): user and system time in clock ticks.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
    }

    // Whether the URL answers with success (any answer at all: the dev chain answers GET with 405 once it listens).
    private static async Task<bool> AnswersAsync(HttpClient http, string url, bool anyAnswer = false)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return anyAnswer || response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan limit, params Process[] running)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            // A child that exited (a refused verb or option) will never answer: say so at once.
            if (running.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.StartInfo.ArgumentList.ElementAtOrDefault(1)} exited with code {exited.ExitCode} before it was ready");
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException("benchmark set-up did not become ready");
            }

            await Task.Delay(50);
        }
    }

    private static Process Start(string dll, string[] args, Dictionary<string, string> env, ConcurrentQueue<string> lines)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 1000 && lines.TryDequeue(out _))
        {
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
