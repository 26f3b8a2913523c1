using System.Diagnostics;
using System.Globalization;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.Snapshots;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.Exporter.Metrics;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Rpc;

namespace Etrid.Bench;

/// <summary>Issue 3's figures: cold sync, per-block update and latency, RPC bytes, /metrics render, resident memory.</summary>
internal static class ExporterBenchmarks
{
    /// <summary>The cold sync alone (the first rows of <see cref="RunAsync"/>).</summary>
    public static async Task RunSyncAsync(TextWriter report)
    {
        var (sync100k, oneByOne, keys) = await ColdSyncAsync();
        report.WriteLine($"| Cold sync, 100,000 jobs + 10,000 GPUs | {Measure.Ms(sync100k)} | | ≤ 10 s |");
        report.WriteLine($"| Same state read one key at a time (× {keys:N0}) | {Measure.Ms(oneByOne)} | | — |");
    }

    public static async Task RunAsync(string root, TextWriter report)
    {
        var (sync100k, oneByOne, keys) = await ColdSyncAsync();
        report.WriteLine($"| Cold sync, 100,000 jobs + 10,000 GPUs (paged keys, 4 batches of 1000 in flight) | {Measure.Ms(sync100k)} | | ≤ 10 s |");
        report.WriteLine($"| Same state read one key at a time (`state_getStorage` × {keys:N0}) | {Measure.Ms(oneByOne)} | | — |");
        report.WriteLine($"| Speed-up of the batched sync | {(oneByOne / sync100k).ToString("0.0", CultureInfo.InvariantCulture)}× | | ≥ 3× |");

        // Same registry (10,000 GPUs of 10,000 providers) at both sizes: only the job history differs.
        var small = await PerBlockAsync(1_000, 10_000);
        var large = await PerBlockAsync(100_000, 10_000);
        report.WriteLine($"| Finalized block → new snapshot, 1,000 jobs (200 blocks) | {Measure.Ms(small.Median)} | {Measure.Ms(small.P99)} | ≤ 50 ms |");
        report.WriteLine($"| Finalized block → new snapshot, 100,000 jobs (200 blocks) | {Measure.Ms(large.Median)} | {Measure.Ms(large.P99)} | ≤ 50 ms, within 2× of 1,000 |");
        report.WriteLine($"| Ratio 100,000 / 1,000 jobs (median) | {(large.Median / small.Median).ToString("0.00", CultureInfo.InvariantCulture)}× | | ≤ 2× |");
        report.WriteLine($"| RPC bytes per block, 1,000 jobs (received / sent) | {Measure.Number(small.Received)} / {Measure.Number(small.Sent)} | | — |");
        report.WriteLine($"| RPC bytes per block, 100,000 jobs (received / sent) | {Measure.Number(large.Received)} / {Measure.Number(large.Sent)} | | — |");

        var render = await RenderAsync(10_000);
        report.WriteLine($"| `/metrics` render, 10,000 providers, new snapshot every scrape | {Measure.Ms(render.Median)} | {Measure.Ms(render.P99)} | ≤ 50 ms |");
        var renderSame = await RenderAsync(10_000, newSnapshotEachTime: false);
        report.WriteLine($"| `/metrics` render, 10,000 providers, unchanged snapshot | {Measure.Ms(renderSame.Median)} | {Measure.Ms(renderSame.P99)} | ≤ 50 ms |");

        await RunResidentAsync(root, report);
        await RunHostileAsync(report);
    }

    private static async Task<(DevChain.Chain.DevChain Chain, DevChainServer Server, Uri Url)> StartChainAsync(int jobs, int gpus)
    {
        var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = jobs, Gpus = gpus, Providers = gpus, BlockTime = TimeSpan.Zero, FinalityLag = 0, ArrivalRate = 3 });
        var server = new DevChainServer(chain);
        var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        return (chain, server, url);
    }

    private static SubstrateClient NewClient(Uri url) => new(new SubstrateClientOptions { Endpoints = [url], WatchdogBlocks = 0, RequestTimeout = TimeSpan.FromMinutes(2) });

    private static async Task<(double Batched, double OneByOne, int Keys)> ColdSyncAsync()
    {
        var (chain, server, url) = await StartChainAsync(100_000, 10_000);
        try
        {
            await using var client = NewClient(url);
            await client.WaitConnectedAsync(default);
            var runs = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var follower = new ChainFollower(client, new FollowerOptions(), new ChainSnapshotHub(TimeSpan.FromMinutes(1)));
                var sw = Stopwatch.StartNew();
                await follower.SyncOnceAsync(default);
                runs.Add(sw.Elapsed.TotalMilliseconds);
            }

            // The baseline: every job and GPU value read with its own call, keys computed locally.
            var schema = AiComputeSchema.Create(MetadataParser.Parse(await client.GetMetadataAsync(null, default)));
            var at = await client.GetFinalizedHeadAsync(default);
            var keys = Enumerable.Range(0, 100_000).Select(id => AiComputeSchema.KeyForId(schema.Jobs, (ulong)id))
                .Concat(Enumerable.Range(0, 10_000).Select(id => AiComputeSchema.KeyForId(schema.GpuNodes, (ulong)id))).ToList();
            var one = Stopwatch.StartNew();
            foreach (var key in keys)
            {
                await client.GetStorageAsync(Etrid.Substrate.Hex.Decode(key), at, default);
            }

            return (runs.Min(), one.Elapsed.TotalMilliseconds, keys.Count);
        }
        finally
        {
            await server.DisposeAsync();
            await chain.DisposeAsync();
        }
    }

    private static async Task<(double Median, double P99, double Received, double Sent)> PerBlockAsync(int jobs, int gpus)
    {
        var (chain, server, url) = await StartChainAsync(jobs, gpus);
        await using var client = NewClient(url);
        var store = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
        var follower = new ChainFollower(client, new FollowerOptions { VerifyInterval = TimeSpan.Zero }, store);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => follower.RunAsync(stop.Token));
        try
        {
            await WaitAsync(() => store.Current is not null);
            await Measure.OneBlockAsync(chain, store, 20);
            var received = client.Bytes.Received;
            var sent = client.Bytes.Sent;
            var samples = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                samples.Add(await Measure.OneBlockAsync(chain, store, 1));
            }

            var blocks = 200.0;
            samples.Sort();
            return (samples[samples.Count / 2], samples[(int)Math.Ceiling(samples.Count * 0.99) - 1], (client.Bytes.Received - received) / blocks, (client.Bytes.Sent - sent) / blocks);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await server.DisposeAsync();
            await chain.DisposeAsync();
        }
    }

    private static async Task<(double Median, double P99)> RenderAsync(int providers, bool newSnapshotEachTime = true)
    {
        var store = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
        store.UpdateHealth(h => h with { Connected = true });
        var metrics = new ExporterMetrics("ai-compute", store, new RpcCallStats(), new ByteCounters(), TimeProvider.System, BenchMeters.NewFactory());
        var random = new Random(1);
        var addresses = Enumerable.Range(0, providers).Select(i => Etrid.Substrate.Ss58.Ss58Address.Encode(Etrid.Substrate.Hashing.Blake2b.Hash(BitConverter.GetBytes(i), 32), 42)).ToArray();
        ChainSnapshot Next(uint block) => new(block, "0x00", 1, DateTimeOffset.UtcNow, new ChainFigures(
            Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => (long)random.Next(1000)), 10, 20,
            addresses.Select(a => new ProviderFigures(a, 1, 1, random.Next(2), random.Next(200), block, block * 0.95)).ToList(),
            Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => (long)random.Next(1000)), 1.5, 10, 0));
        uint n = 0;
        store.Publish(Next(++n));
        var samples = new List<double>();
        using var stream = new MemoryStream();
        for (var i = 0; i < 210; i++)
        {
            if (newSnapshotEachTime)
            {
                store.Publish(Next(++n));
            }

            stream.SetLength(0);
            var sw = Stopwatch.StartNew();
            await metrics.WriteAsync(stream);
            if (i >= 10)
            {
                samples.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)Math.Ceiling(samples.Count * 0.99) - 1]);
    }

    /// <summary>Only the resident-memory measurement (it runs the exporter as its own process).</summary>
    public static async Task RunResidentAsync(string root, TextWriter report)
    {
        // The dev chain's default spread is four GPUs a provider; one GPU a provider is the worst case for /metrics.
        // First the core (follower, metrics, health: what earlier figures measured), then every part enabled.
        foreach (var allParts in new[] { false, true })
        {
            foreach (var providers in new[] { 2_500, 10_000 })
            {
                var m = await ResidentMemoryAsync(providers, allParts);
                var parts = allParts ? "every part on (external metrics API, KEDA scaler, burst controller)" : "core (API, scaler and burst controller off)";
                report.WriteLine($"| Exporter resident memory, {parts}, 100,000 jobs + 10,000 GPUs of {providers:N0} providers (steady / peak) | {m.Steady:0} MB / {m.Peak:0} MB | | ≤ 150 MB |");
                report.WriteLine($"| of which: anonymous (GC heap, native) / file-mapped (assemblies, native libraries) / shared (JIT code, W^X double mapping); GC committed | {m.Anonymous:0} / {m.File:0} / {m.Shared:0} MB; {m.GcCommitted:0} MB | | — |");
            }
        }
    }

    /// <summary>A node announcing <c>NextJobId</c> = 2^40: the exporter must stay small and say why it is not ready.</summary>
    public static async Task RunHostileAsync(TextWriter report)
    {
        var exporterDll = Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll");
        var devDll = Path.Combine(AppContext.BaseDirectory, "etrid-dev.dll");
        using var chain = Start(devDll, ["devchain", "--listen", "127.0.0.1:19953", "--jobs", "1000", "--gpus", "32", "--block-time", "1s", "--announce-next-job-id", "1099511627776"], []);
        using var exporter = Start(exporterDll, ["serve"], new()
        {
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = "false",
            ["ETRID_KEDA_SCALER__ENABLED"] = "false",
            ["ETRID_CHAIN__ENDPOINTS"] = "ws://127.0.0.1:19953",
            ["ETRID_LISTEN__METRICS"] = "http://127.0.0.1:19954",
            ["ETRID_CHAIN__BLOCK_TIME"] = "1s",
            ["DOTNET_GCgen0size"] = "400000",
        });
        try
        {
            using var http = new HttpClient();
            string reason = string.Empty;
            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(1000);
                try
                {
                    using var response = await http.GetAsync("http://127.0.0.1:19954/readyz");
                    reason = (await response.Content.ReadAsStringAsync()).Trim();
                }
                catch (HttpRequestException e)
                {
                    reason = e.Message;
                }
            }

            var status = ProcessStatus.Read(exporter.Id);
            report.WriteLine($"| Hostile node announcing NextJobId = 2^40, after 30 s: exporter resident (steady / peak) | {status.Megabytes("VmRSS"):0} MB / {status.Megabytes("VmHWM"):0} MB | | < 200 MB |");
            report.WriteLine($"| Hostile node: /readyz says | `{reason.Replace("|", "/", StringComparison.Ordinal)}` | | says why |");
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            chain.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            await chain.WaitForExitAsync();
        }
    }

    private static async Task<(double Steady, double Peak, double Anonymous, double File, double Shared, double GcCommitted)> ResidentMemoryAsync(int providers, bool allParts)
    {
        var exporterDll = Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll");
        var devDll = Path.Combine(AppContext.BaseDirectory, "etrid-dev.dll");
        using var chain = Start(devDll, ["devchain", "--listen", "http://127.0.0.1:19951", "--jobs", "100000", "--gpus", "10000", "--providers", providers.ToString(CultureInfo.InvariantCulture), "--block-time", "1s", "--finality-lag", "1"], []);
        // Every part: the burst controller too, ticking against a dev market (local capacity covers the queue, so it holds).
        using var market = allParts ? Start(devDll, ["devmarket", "--listen", "http://127.0.0.1:19957", "--tick", "1s"], []) : null;
        using var exporter = Start(exporterDll, ["serve"], new()
        {
            ["ETRID_CHAIN__ENDPOINTS"] = "ws://127.0.0.1:19951",
            ["ETRID_LISTEN__METRICS"] = "http://127.0.0.1:19952",
            ["ETRID_CHAIN__BLOCK_TIME"] = "1s",
            ["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("BENCH_GCGEN0SIZE") ?? "400000", // as the Dockerfile sets it
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = allParts ? "true" : "false",
            ["ETRID_EXTERNAL_METRICS__LISTEN"] = "https://127.0.0.1:19955",
            ["ETRID_KUBERNETES__MODE"] = "none",
            ["ETRID_KEDA_SCALER__ENABLED"] = allParts ? "true" : "false",
            ["ETRID_KEDA_SCALER__LISTEN"] = "http://127.0.0.1:19956",
            ["ETRID_MITHRIL_AUTO__ENABLED"] = allParts ? "true" : "false",
            ["ETRID_MITHRIL_AUTO__PROJECT_ID"] = "proj_devmarket01",
            ["ETRID_MITHRIL_AUTO__REGION"] = "us-central1-a",
            ["ETRID_MITHRIL_AUTO__API_TOKEN"] = "fkey_devmarket",
            ["ETRID_MITHRIL_AUTO__API_ENDPOINT"] = "http://127.0.0.1:19957",
            ["ETRID_MITHRIL_AUTO__LOCAL_GPUS"] = "100000",
            ["ETRID_MITHRIL_AUTO__AUTOSCALER_CONFIG__SYNC_LOOP_INTERVAL"] = "2s",
            ["ETRID_MITHRIL_AUTO__POOL_DETAILS__0__POOL_NAME"] = "a100",
            ["ETRID_MITHRIL_AUTO__POOL_DETAILS__0__INSTANCE_TYPE"] = "it_deva100x4",
            ["ETRID_MITHRIL_AUTO__POOL_DETAILS__0__LIMIT_PRICE_PER_GPU_HOUR"] = "2",
            // What the boot script needs when the controller may rent (the dev market never runs it).
            ["ETRID_MITHRIL_AUTO__AGENT_DOWNLOAD_URL"] = "https://downloads.example/etrid-gpu-worker",
            ["ETRID_MITHRIL_AUTO__CONTROLLER_ADDRESS"] = "controller.example:443",
        });
        try
        {
            using var http = new HttpClient();
            await WaitAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync("http://127.0.0.1:19952/readyz")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, seconds: 120);
            // Follow blocks and serve a scrape a second for a while (in OpenMetrics, as Prometheus asks), then read the kernel's figures.
            var scrape = string.Empty;
            for (var i = 0; i < 30; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:19952/metrics");
                request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
                using var response = await http.SendAsync(request);
                scrape = await response.Content.ReadAsStringAsync();
                await Task.Delay(1000);
            }

            if (allParts && !scrape.Contains("etrid_burst_leader 1", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the burst controller is not running in the all-parts measurement");
            }

            var status = ProcessStatus.Read(exporter.Id);
            var committed = scrape.Split('\n').First(l => l.StartsWith("etrid_exporter_gc_committed_bytes ", StringComparison.Ordinal)).Split(' ')[1];
            return (status.Megabytes("VmRSS"), status.Megabytes("VmHWM"), status.Megabytes("RssAnon"), status.Megabytes("RssFile"), status.Megabytes("RssShmem"), double.Parse(committed, CultureInfo.InvariantCulture) / 1048576);
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            chain.Kill(entireProcessTree: true);
            market?.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            await chain.WaitForExitAsync();
        }
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="args"/>; its output goes to <paramref name="log"/> (a synchronized writer), else nowhere.</summary>
    internal static Process Start(string dll, string[] args, Dictionary<string, string> env, TextWriter? log = null)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Keep(TextWriter? log, string? line)
    {
        if (log is not null && line is not null)
        {
            log.WriteLine(line);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, int seconds = 60) => await WaitAsync(() => Task.FromResult(condition()), seconds);

    internal static async Task WaitAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException("benchmark set-up did not become ready");
            }

            await Task.Delay(5);
        }
    }
}
