using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace Etrid.Bench.Soak;

/// <summary>
/// Issue 16, "a soak test you can run": the exporter as its own <c>serve</c> process follows a two-node reference
/// chain (<see cref="SoakNodes"/>, a bursty workload, one block a second) for N minutes while a seeded schedule
/// (<see cref="SoakSchedule"/>) kills and stops nodes, puts the second endpoint behind, flips a node's genesis, churns
/// TLS connections to the external metrics API and storms <c>/metrics</c>. After every finalized block it checks that
/// the figures are not older than <c>chain.staleness_limit</c> (<see cref="FreshnessJudge"/> says when stale is
/// excused), that no <c>_total</c> series fell (<see cref="CounterWatch"/>), that the process is still the one started,
/// and that its resident set is under the manifests' memory limit (<see cref="ManifestMemoryLimit"/>). Prints a
/// summary; non-zero exit on any violation, with the seed that replays it.
/// </summary>
internal static class SoakBenchmark
{
    // The reference chain: a market of 20,000 jobs on 2,000 GPUs of 500 providers, 3 jobs a block and surges of 12.
    private const int Jobs = 20_000;
    private const int Gpus = 2_000;
    private const int Providers = 500;
    private const double ArrivalRate = 3;
    private const int InitialLag = 3;
    private const int ViolationsListed = 20;
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args, TextWriter report)
    {
        var options = SoakOptions.Parse(args);
        var (limitBytes, limitText) = ManifestMemoryLimit.Read(root);
        var limitMb = limitBytes / 1048576.0;
        var schedule = SoakSchedule.Create(options.Seed, options.Length);
        var loadBefore = LoadAverage();
        report.WriteLine($"Soak: {options.Length.TotalMinutes:0.##} min, seed {options.Seed}, {schedule.Count} faults scheduled; staleness limit {options.StalenessLimit.TotalSeconds:0} s; memory limit {limitText} ({ManifestMemoryLimit.File}); load average {loadBefore}");

        var run = new Run(options, new FreshnessJudge(options.StalenessLimit), limitMb);
        await using var nodes = await SoakNodes.StartAsync(options.Seed, Jobs, Gpus, Providers, ArrivalRate, InitialLag);
        var dir = Directory.CreateTempSubdirectory("etrid-soak-").FullName;
        var logPath = Path.Combine(dir, "exporter.log");
        var metrics = $"http://127.0.0.1:{ScrapeStormBenchmark.FreePort()}";
        var apiPort = ScrapeStormBenchmark.FreePort();
        var blocks = Channel.CreateUnbounded<uint>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stopProducing = new CancellationTokenSource();
        var producing = ProduceAsync(nodes, run, blocks.Writer, options.BlockTime, stopProducing.Token);

        using var logFile = TextWriter.Synchronized(new StreamWriter(logPath) { AutoFlush = true });
        using var exporter = ExporterBenchmarks.Start(Path.Combine(AppContext.BaseDirectory, "etrid-exporter.dll"), ["serve"], new()
        {
            ["ETRID_CHAIN__ENDPOINTS"] = string.Join(',', nodes.Urls),
            ["ETRID_CHAIN__BLOCK_TIME"] = $"{options.BlockTime.TotalMilliseconds:0}ms",
            ["ETRID_CHAIN__STALENESS_LIMIT"] = $"{options.StalenessLimit.TotalSeconds:0}s",
            // At one block a second an operator would not wait 30 s (the default) between reconnect attempts.
            ["ETRID_CHAIN__RECONNECT_MAX_DELAY"] = "5s",
            ["ETRID_LISTEN__METRICS"] = metrics,
            ["ETRID_EXTERNAL_METRICS__ENABLED"] = "true",
            ["ETRID_EXTERNAL_METRICS__LISTEN"] = $"https://127.0.0.1:{apiPort}",
            ["ETRID_KUBERNETES__MODE"] = "none",
            ["ETRID_EXTERNAL_METRICS__AUTHENTICATION__TOKEN_FILE"] = await ConnectionBenchmarks.WriteTokenFileAsync(dir),
            ["ETRID_KEDA_SCALER__ENABLED"] = "false",
            ["DOTNET_GCgen0size"] = "400000", // as the Dockerfile sets both
            ["MALLOC_ARENA_MAX"] = "2",
        }, logFile);
        var pid = exporter.Id;
        try
        {
            using var check = new HttpClient { Timeout = CheckTimeout };
            await ExporterBenchmarks.WaitAsync(async () => !exporter.HasExited && await ReadyAsync(check, metrics), seconds: 180);
            run.Start();
            using var stopChecking = new CancellationTokenSource();
            var checking = CheckAsync(run, check, metrics, exporter, blocks.Reader, stopChecking.Token);
            using var probe = ScrapeStormBenchmark.NewProbeClient();
            var faults = schedule.Select(f => InjectAsync(f, run, nodes, metrics, apiPort, probe, report)).ToList();
            await Task.WhenAll(faults);
            var left = options.Length - run.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }

            await stopChecking.CancelAsync();
            await checking;
            if (exporter.HasExited && run.ViolationsOf("process") == 0)
            {
                run.Violation("process", $"the exporter exited with {exporter.ExitCode}");
            }

            run.PeakMb = exporter.HasExited ? run.PeakMb : Math.Max(run.PeakMb, ProcessStatus.Read(pid).Megabytes("VmHWM"));
        }
        finally
        {
            await stopProducing.CancelAsync();
            await producing;
            if (!exporter.HasExited)
            {
                exporter.Kill(entireProcessTree: true);
            }

            await exporter.WaitForExitAsync();
        }

        Summarize(report, run, schedule, loadBefore, LoadAverage());
        var failed = run.Violations > 0;
        if (failed)
        {
            report.WriteLine($"FAILED: {run.Violations} violations. Replay: dotnet run -c Release --project bench/Etrid.Bench -- soak {options.Length.TotalMinutes:0.##} --seed {options.Seed}; the exporter's log: {logPath}");
        }
        else
        {
            Directory.Delete(dir, recursive: true);
        }

        return failed ? 1 : 0;
    }

    /// <summary>One block a block time on both nodes; each finalized number to the judge and the checker.</summary>
    private static async Task ProduceAsync(SoakNodes nodes, Run run, ChannelWriter<uint> blocks, TimeSpan blockTime, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(blockTime);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var finalized = nodes.ProduceBlock();
                run.Finalized(finalized.Number);
                blocks.TryWrite(finalized.Number);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>After every finalized block (those that came while a check ran are checked as one): the four invariants.</summary>
    private static async Task CheckAsync(Run run, HttpClient http, string metrics, Process exporter, ChannelReader<uint> blocks, CancellationToken stop)
    {
        try
        {
            while (await blocks.WaitToReadAsync(stop))
            {
                while (blocks.TryRead(out _))
                {
                }

                if (exporter.HasExited)
                {
                    run.Violation("process", $"the exporter exited with {exporter.ExitCode}");
                    return;
                }

                run.Checks++;
                // The figures' age as of the request: an answer slowed by a storm does not age them.
                var asked = run.Now;
                try
                {
                    using var health = await http.GetAsync(metrics + "/healthz", stop);
                    using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync(stop));
                    var ready = json.RootElement.GetProperty("ready").GetBoolean();
                    var block = json.RootElement.GetProperty("snapshot_block") is { ValueKind: JsonValueKind.Number } b ? b.GetUInt32() : (uint?)null;
                    run.Judge(block, ready, asked);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException && !stop.IsCancellationRequested)
                {
                    run.HealthUnanswered++;
                }

                try
                {
                    using var response = await http.GetAsync(metrics + "/metrics", stop);
                    if (response.IsSuccessStatusCode)
                    {
                        run.Counters(await response.Content.ReadAsStringAsync(stop));
                    }
                    else
                    {
                        run.ScrapesSkipped++;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    run.ScrapesSkipped++;
                }

                if (!exporter.HasExited)
                {
                    var status = ProcessStatus.Read(exporter.Id);
                    run.PeakMb = Math.Max(run.PeakMb, status.Megabytes("VmHWM"));
                    var rss = status.Megabytes("VmRSS");
                    if (rss > run.LimitMb)
                    {
                        run.Violation("memory", $"resident {rss:0} MB above the limit {run.LimitMb:0} MB");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task InjectAsync(SoakFault fault, Run run, SoakNodes nodes, string metrics, int apiPort, HttpClient probe, TextWriter report)
    {
        var wait = fault.At - run.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        // As it happens, so a violation in the summary can be set beside the faults before it.
        report.WriteLine($"{run.Elapsed.TotalSeconds,7:0.0} s  {Describe(fault)}");
        run.Injected(fault.Kind);
        switch (fault.Kind)
        {
            case SoakFaultKind.NodeKill:
                await nodes.KillAsync(fault.Node);
                run.Serving(nodes.AnyServing);
                await Task.Delay(fault.Duration);
                await nodes.RestartAsync(fault.Node);
                run.Serving(nodes.AnyServing);
                break;
            case SoakFaultKind.NodeStop:
                await nodes.StopAsync(fault.Node, fault.Duration, () => run.Serving(nodes.AnyServing));
                break;
            case SoakFaultKind.FlippedGenesis:
                nodes.Flip(fault.Node, foreign: true);
                run.Serving(nodes.AnyServing);
                await Task.Delay(fault.Duration);
                nodes.Flip(fault.Node, foreign: false);
                run.Serving(nodes.AnyServing);
                break;
            case SoakFaultKind.LaggingEndpoint:
                nodes.Lag(fault.Lag);
                break;
            case SoakFaultKind.ConnectionChurn:
                var answers = await Task.WhenAll(Enumerable.Range(0, run.Options.ChurnConnections).Select(i => ConnectionBenchmarks.OneConnectionAsync(apiPort, authenticated: i % 2 == 1)));
                run.Churned(answers);
                break;
            case SoakFaultKind.ScrapeStorm:
                using (var stop = new CancellationTokenSource(fault.Duration))
                {
                    var storm = ScrapeStormBenchmark.StormAsync(metrics, run.Options.StormClients, stop.Token);
                    var probes = await ScrapeStormBenchmark.ProbeAsync(probe, metrics, stop.Token);
                    run.Stormed(await storm, probes);
                }

                break;
        }
    }

    private static string Describe(SoakFault fault) => fault.Kind switch
    {
        SoakFaultKind.NodeKill => $"node {fault.Node + 1} killed for {fault.Duration.TotalSeconds:0} s",
        SoakFaultKind.NodeStop => $"node {fault.Node + 1} stopped for {fault.Duration.TotalSeconds:0} s",
        SoakFaultKind.FlippedGenesis => $"node {fault.Node + 1} answers another genesis for {fault.Duration.TotalSeconds:0} s",
        SoakFaultKind.LaggingEndpoint => $"node 2 restarts {fault.Lag} blocks behind",
        SoakFaultKind.ConnectionChurn => "TLS connection churn round",
        SoakFaultKind.ScrapeStorm => $"scrape storm for {fault.Duration.TotalSeconds:0} s",
        _ => fault.Kind.ToString(),
    };

    private static async Task<bool> ReadyAsync(HttpClient http, string metrics)
    {
        try
        {
            using var response = await http.GetAsync(metrics + "/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void Summarize(TextWriter report, Run run, IReadOnlyList<SoakFault> schedule, string loadBefore, string loadAfter)
    {
        string Spread(SoakFaultKind kind, Func<SoakFault, double> value, string unit)
        {
            var values = schedule.Where(f => f.Kind == kind).Select(value).ToList();
            return values.Count == 0 ? string.Empty : $" ({values.Min():0}–{values.Max():0} {unit})";
        }

        var latencies = run.ProbeLatencies.Order().ToList();
        report.WriteLine();
        report.WriteLine("| Soak | Figure |");
        report.WriteLine("| --- | --- |");
        report.WriteLine($"| Run | {run.Options.Length.TotalMinutes:0.##} min, seed {run.Options.Seed}, load average before / after {loadBefore} / {loadAfter} |");
        report.WriteLine($"| Reference chain | {Jobs:N0} jobs, {Gpus:N0} GPUs of {Providers} providers, bursty workload ({ArrivalRate} jobs a block, surges of {ArrivalRate * 4}), one block a {run.Options.BlockTime.TotalSeconds:0.#} s, two nodes |");
        report.WriteLine($"| Finalized blocks produced / checks after them | {run.Blocks:N0} / {run.Checks:N0} |");
        report.WriteLine($"| Faults: node killed and restarted | {run.Count(SoakFaultKind.NodeKill)}{Spread(SoakFaultKind.NodeKill, f => f.Duration.TotalSeconds, "s down")} |");
        report.WriteLine($"| Faults: node stopped and resumed | {run.Count(SoakFaultKind.NodeStop)}{Spread(SoakFaultKind.NodeStop, f => f.Duration.TotalSeconds, "s stopped")} |");
        report.WriteLine($"| Faults: second endpoint restarted behind | {run.Count(SoakFaultKind.LaggingEndpoint)}{Spread(SoakFaultKind.LaggingEndpoint, f => f.Lag, "blocks")} |");
        report.WriteLine($"| Faults: node answering another genesis | {run.Count(SoakFaultKind.FlippedGenesis)}{Spread(SoakFaultKind.FlippedGenesis, f => f.Duration.TotalSeconds, "s")} |");
        report.WriteLine($"| Faults: TLS churn rounds of {run.Options.ChurnConnections:N0} connections (half without credentials) | {run.Count(SoakFaultKind.ConnectionChurn)}; answers {string.Join(", ", run.ChurnAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} × {a.Value:N0}"))} |");
        report.WriteLine($"| Faults: scrape storms of {run.Options.StormClients:N0} clients | {run.Count(SoakFaultKind.ScrapeStorm)}{Spread(SoakFaultKind.ScrapeStorm, f => f.Duration.TotalSeconds, "s")}; scrapes 200 / 503 / failed {run.StormOk:N0} / {run.StormRefused:N0} / {run.StormFailed:N0} |");
        report.WriteLine($"| Outages (no endpoint serving the chain) | {run.Outages} ({run.OutageSeconds:0} s in all); checks stale and not ready in or just after one (excused) {run.Excused} |");
        report.WriteLine($"| Checks without a /healthz answer within {CheckTimeout.TotalSeconds:0} s / /metrics not read (refused or late: counters not compared) | {run.HealthUnanswered} / {run.ScrapesSkipped} |");
        report.WriteLine($"| Probe latency during the storms, /livez and /readyz (median / p99 / max; unanswered within {ScrapeStormBenchmark.ProbeTimeout.TotalSeconds:0} s / sent) | {(latencies.Count == 0 ? "no storm" : $"{Measure.Ms(ScrapeStormBenchmark.Percentile(latencies, 0.5))} / {Measure.Ms(ScrapeStormBenchmark.Percentile(latencies, 0.99))} / {Measure.Ms(latencies[^1])}; {run.ProbesUnanswered} / {run.ProbesSent}")} |");
        report.WriteLine($"| Exporter peak resident (VmHWM) / limit | {run.PeakMb:0} MB / {run.LimitMb:0} MB |");
        report.WriteLine($"| Exporter reconnects / full syncs (its own counters at the end) | {run.LastCounter("etrid_chain_reconnects_total")} / {run.LastCounter("etrid_chain_full_syncs_total")} |");
        report.WriteLine($"| **Violations: figures older than the staleness limit** (ready on stale figures / stale while an endpoint served) | {run.ViolationsOf("ready on stale figures")} / {run.ViolationsOf("stale while served")} |");
        report.WriteLine($"| **Violations: counters that fell** ({run.SeriesWatched:N0} never-decreasing series watched) | {run.ViolationsOf("counter")} |");
        report.WriteLine($"| **Violations: exporter exited or restarted** | {run.ViolationsOf("process")} |");
        report.WriteLine($"| **Violations: resident above the limit** | {run.ViolationsOf("memory")} |");
        foreach (var v in run.Listed)
        {
            report.WriteLine($"- {v}");
        }

        if (run.Violations > run.Listed.Count)
        {
            report.WriteLine($"- … and {run.Violations - run.Listed.Count} more");
        }
    }

    /// <summary>The run's state and tallies, shared by the producer, the checker and the faults.</summary>
    private sealed class Run(SoakOptions options, FreshnessJudge judge, double limitMb)
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly CounterWatch _counters = new();
        private readonly Dictionary<SoakFaultKind, int> _injected = [];
        private readonly Dictionary<string, int> _violations = new(StringComparer.Ordinal);
        private readonly List<string> _listed = [];
        private TimeSpan _start;
        private string _lastScrape = string.Empty;
        private TimeSpan? _outageStart;
        private TimeSpan _outageTotal;

        public SoakOptions Options => options;

        public double LimitMb => limitMb;

        /// <summary>Time since the exporter was first ready (the schedule's zero).</summary>
        public TimeSpan Elapsed => _clock.Elapsed - _start;

        public double PeakMb { get; set; }

        public int Blocks { get; private set; }

        public int Checks { get; set; }

        public int HealthUnanswered { get; set; }

        public int ScrapesSkipped { get; set; }

        public int Excused { get; private set; }

        public int Outages { get; private set; }

        public double OutageSeconds => _outageTotal.TotalSeconds;

        public int Violations => _violations.Values.Sum();

        public IReadOnlyList<string> Listed => _listed;

        public int SeriesWatched => _counters.Series;

        public Dictionary<string, int> ChurnAnswers { get; } = new(StringComparer.Ordinal);

        public List<double> ProbeLatencies { get; } = [];

        public int ProbesSent { get; private set; }

        public int ProbesUnanswered { get; private set; }

        public long StormOk { get; private set; }

        public long StormRefused { get; private set; }

        public long StormFailed { get; private set; }

        /// <summary>The run's clock (time since the run began, the reference chain's clock).</summary>
        public TimeSpan Now => _clock.Elapsed;

        public void Start() => _start = _clock.Elapsed;

        public void Finalized(uint number)
        {
            lock (_gate)
            {
                Blocks++;
                judge.Finalized(number, _clock.Elapsed);
            }
        }

        public void Serving(bool any)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                judge.Serving(any, now);
                if (!any && _outageStart is null)
                {
                    _outageStart = now;
                    Outages++;
                }
                else if (any && _outageStart is { } began)
                {
                    _outageTotal += now - began;
                    _outageStart = null;
                }
            }
        }

        public void Judge(uint? block, bool ready, TimeSpan now)
        {
            lock (_gate)
            {
                var verdict = judge.Judge(block, ready, now);
                var age = judge.Age(block, now);
                switch (verdict)
                {
                    case FreshnessVerdict.ExcusedByOutage:
                        Excused++;
                        break;
                    case FreshnessVerdict.ReadyOnStaleFigures:
                        AddViolation("ready on stale figures", $"ready with the figures of block {block}, {age.TotalSeconds:0.0} s old");
                        break;
                    case FreshnessVerdict.StaleWhileServed:
                        AddViolation("stale while served", $"figures of block {block} {age.TotalSeconds:0.0} s old while an endpoint served the chain");
                        break;
                }
            }
        }

        public void Counters(string exposition)
        {
            var falls = _counters.Observe(exposition);
            _lastScrape = exposition;
            foreach (var fall in falls)
            {
                Violation("counter", $"{fall.Series} fell from {fall.Before.ToString(CultureInfo.InvariantCulture)} to {fall.Now.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        public string LastCounter(string name) =>
            _lastScrape.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && !l.StartsWith(name + "_", StringComparison.Ordinal))?.Split(' ')[^1] ?? "—";

        public void Violation(string invariant, string detail)
        {
            lock (_gate)
            {
                AddViolation(invariant, detail);
            }
        }

        private void AddViolation(string invariant, string detail)
        {
            _violations[invariant] = _violations.GetValueOrDefault(invariant) + 1;
            if (_listed.Count < ViolationsListed)
            {
                _listed.Add($"{Elapsed.TotalSeconds:0.0} s: {invariant}: {detail}");
            }
        }

        public int ViolationsOf(string invariant)
        {
            lock (_gate)
            {
                return _violations.GetValueOrDefault(invariant);
            }
        }

        public void Injected(SoakFaultKind kind)
        {
            lock (_gate)
            {
                _injected[kind] = _injected.GetValueOrDefault(kind) + 1;
            }
        }

        public int Count(SoakFaultKind kind)
        {
            lock (_gate)
            {
                return _injected.GetValueOrDefault(kind);
            }
        }

        public void Churned(IEnumerable<string> answers)
        {
            lock (_gate)
            {
                foreach (var a in answers)
                {
                    ChurnAnswers[a] = ChurnAnswers.GetValueOrDefault(a) + 1;
                }
            }
        }

        public void Stormed(ScrapeStormBenchmark.StormCounts scrapes, ScrapeStormBenchmark.ProbeCounts probes)
        {
            lock (_gate)
            {
                StormOk += scrapes.Ok;
                StormRefused += scrapes.Refused;
                StormFailed += scrapes.Failed;
                ProbeLatencies.AddRange(probes.Latencies);
                ProbesSent += probes.Sent;
                ProbesUnanswered += probes.Unanswered;
            }
        }
    }
}
