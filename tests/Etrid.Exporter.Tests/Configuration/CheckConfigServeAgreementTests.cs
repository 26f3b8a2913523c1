using System.Text;
using CsCheck;
using Etrid.Exporter.Tests.Support;

namespace Etrid.Exporter.Tests.Configuration;

/// <summary>
/// <c>check-config</c> runs exactly the validation <c>serve</c> runs: any file <c>check-config</c> accepts starts, and
/// any file it refuses, <c>serve</c> refuses with the same lines, never with a stack trace. Both verbs run in-process
/// through the executable's entry point; <c>serve</c> is stopped as soon as it serves.
/// </summary>
public sealed class CheckConfigServeAgreementTests : IDisposable
{
    // The parts with listeners of their own listen on ephemeral ports; no cluster here.
    private const string Quiet = "listen:\n  metrics: http://127.0.0.1:0\nexternal_metrics:\n  enabled: false\nkeda_scaler:\n  enabled: false\n";

    private const int GeneratedFiles = 100;
    private const ulong SeedBase = 0xC0F16;

    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-agree-").FullName;
    private int _files;

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, $"config-{Interlocked.Increment(ref _files)}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task AWindowOfThreePalletBlocks_IsAcceptedByCheckConfig_AndServeStarts()
    {
        // Three blocks of one pallet second each: check-config accepted it while serve threw an ArgumentException
        // from the follower's own copy of the rule (a window of at least 6 s).
        var path = Write("chain:\n  pallet_seconds_per_block: 1\n  window: 3s\n  endpoints: [\"ws://127.0.0.1:9\"]\n" + Quiet);
        var check = await CliRun.ExporterAsync(["check-config", "--config", path]);
        Assert.True(check.Exit == 0, check.Stderr);

        var serve = await ServeRun.RunAsync(path);
        Assert.Null(serve.Thrown);
        Assert.True(serve.Started, serve.Stderr);
        Assert.Equal(0, serve.Exit);
    }

    [Fact]
    public async Task AWatchdogLimitPastADay_IsRefusedByBothVerbs_WithTheKey()
    {
        // 10,000 blocks of 1 h: check-config accepted it and serve stopped when the watchdog's timer refused the period.
        var path = Write("chain:\n  block_time: 1h\n  watchdog_blocks: 10000\n  endpoints: [\"ws://127.0.0.1:9\"]\n" + Quiet);
        var check = await CliRun.ExporterAsync(["check-config", "--config", path]);
        Assert.Equal(2, check.Exit);
        Assert.Contains("chain.watchdog_blocks: 10000 block times of 3600s is 36000000s; the watchdog's limit must be at most 24h", check.Stderr, StringComparison.Ordinal);

        var serve = await ServeRun.RunAsync(path);
        Assert.False(serve.Started);
        Assert.Equal(check.Stderr, serve.Stderr);
    }

    [Fact]
    public async Task GeneratedConfigurations_GetTheSameVerdictFromCheckConfigAndServe()
    {
        // Configuration i comes from the fixed seed PCG(i, SeedBase), so every run checks the same files (CsCheck's own
        // seed pins only the first iteration); a failure names the file's seed, which reproduces it alone.
        var gen = Configurations;
        var accepted = 0;
        for (var i = 0u; i < GeneratedFiles; i++)
        {
            var seed = new PCG(i, SeedBase);
            var yaml = gen.Generate(seed, null!, out _);
            var name = $"configuration {i} (seed {seed})";
            var path = Write(yaml);
            var check = await CliRun.ExporterAsync(["check-config", "--config", path]);
            var serve = await ServeRun.RunAsync(path);
            Assert.True(serve.Thrown is null, $"{name}: serve threw {serve.Thrown}\n{yaml}");
            Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
            if (check.Exit == 0)
            {
                accepted++;
                Assert.True(serve.Started && serve.Exit == 0, $"{name}: check-config accepted, serve exited {serve.Exit}: {serve.Stderr}\n{yaml}");
            }
            else
            {
                Assert.False(serve.Started, $"{name}: check-config refused ({check.Stderr}), serve started\n{yaml}");
                Assert.True(check.Stderr == serve.Stderr, $"{name}: check-config said:\n{check.Stderr}\nserve said:\n{serve.Stderr}\n{yaml}");
            }
        }

        // Both verdicts must be exercised, or the agreement is checked on one side only.
        Assert.InRange(accepted, GeneratedFiles / 10, GeneratedFiles - (GeneratedFiles / 10));
    }

    // Every section's keys (the file and cluster keys only with values that need no file or cluster), each absent or
    // given a value: mostly valid or at an edge (so that a good share of the files are valid key by key and the
    // cross-key rules decide), sometimes beyond (wrong kind, out of range, unknown key). The parts with listeners of
    // their own are mostly off (validated all the same) and listen on ephemeral ports when on.
    private static Gen<string> Configurations
    {
        get
        {
            // Each key draws a usual value (or none), a value beyond, and whether it is one of the keys a "dirty" file
            // gets wrong; half the files are clean, so a good share pass key by key and the cross-key rules decide.
            static Gen<Value> Key(string[] valid, params string[] invalid) => Gen.Select(
                Gen.Frequency((6, (IGen<string?>)Gen.Const((string?)null)), (14, valid.Length == 0 ? Gen.Const((string?)null) : Gen.OneOf(valid).Select(v => (string?)v))),
                invalid.Length == 0 ? Gen.Const((string?)null) : Gen.OneOf(invalid).Select(v => (string?)v),
                Gen.Int[0, 7],
                (ok, bad, roll) => new Value(ok, bad, roll == 0));
            static Gen<Value> Always(string[] valid, params string[] invalid) => Gen.Select(
                Gen.OneOf(valid), Gen.OneOf(invalid), Gen.Int[0, 7], (ok, bad, roll) => new Value(ok, bad, roll == 0));
            // First delays mostly below the longest ones, so the rule between them refuses some files, not most.
            string[] delays = ["1ms", "500ms", "1s", "30s", "10m"];
            string[] longest = ["1s", "30s", "10m", "1h", "1h"];
            string[] timeouts = ["1ms", "10s", "1h"];
            string[] off = ["false", "false", "false", "true"];
            var keys = new (string Key, Gen<Value> Value)[]
            {
                ("pbc", Key(["ai-compute", "pbc.2"], "\"\"", "\"two words\"")),
                ("rpc_url", Key([], "http://127.0.0.1:9", "ws://127.0.0.1:9")),
                ("websocket_url", Key([], "ws://127.0.0.1:9")),
                ("chain.endpoints", Key(["[\"ws://127.0.0.1:9\"]", "[\"http://127.0.0.1:9\"]", "[\"wss://user:pw@node.example:443/?k=v\"]", "[]"], "[\"ftp://node:21\"]", "[\"not a url\"]")),
                ("chain.finality", Key(["finalized", "best"], "latest")),
                ("chain.staleness_limit", Key(["1s", "60s", "24h"], "0s", "500ms", "25h", "x")),
                ("chain.request_timeout", Key(timeouts, "0s", "2h", "-1s")),
                ("chain.connect_timeout", Key(timeouts, "0s", "2h", "-1s")),
                ("chain.reconnect_base_delay", Key(delays, "0s", "11m", "soon")),
                ("chain.reconnect_max_delay", Key(longest, "0s", "2h")),
                ("chain.retry_delay", Key(delays, "0s", "11m")),
                ("chain.max_retry_delay", Key(longest, "0s", "2h")),
                ("chain.watchdog_blocks", Key(["0", "10", "10000"], "-1", "10001", "many")),
                ("chain.block_time", Key(["1ms", "6s", "1h"], "0s", "2h")),
                ("chain.genesis_hash", Key(["\"0x" + new string('a', 64) + "\""], "\"0x1234\"", "\"" + new string('a', 66) + "\"")),
                ("chain.head_tolerance_blocks", Key(["1", "100", "1000000"], "0", "1000001")),
                ("chain.unhealthy_hold_blocks", Key(["1", "10", "10000"], "0", "10001")),
                ("chain.pallet_seconds_per_block", Key(["1", "2", "6", "3600"], "0", "3601")),
                ("chain.max_message_bytes", Key(["65536", "16777216", "1073741824"], "65535", "1073741825")),
                ("chain.window", Key(["1s", "3s", "6s", "600s", "600s", "168h"], "0s", "169h")),
                ("chain.verify_interval", Key(["0s", "10m", "168h"], "169h", "-1s")),
                ("chain.max_gap_blocks", Key(["1", "100", "100000"], "0", "100001")),
                ("chain.sync_parallelism", Key(["1", "4", "64"], "0", "65")),
                ("chain.page_size", Key(["1", "1000"], "0", "1001")),
                ("chain.max_jobs", Key(["1", "5000000", "100000000"], "0", "100000001")),
                ("chain.max_gpus", Key(["1", "10000000"], "0", "10000001")),
                ("chain.max_new_jobs_per_block", Key(["1", "1000000"], "0", "1000001")),
                ("chain.windw", Key([], "5m")),
                ("listen.metrics", Always(["http://127.0.0.1:0"], "ftp://127.0.0.1:0", "http://127.0.0.1:0/metrics")),
                ("metrics.max_concurrent_scrapes", Key(["1", "8", "1000"], "0", "1001", "some")),
                ("deletion_cost.enabled", Key(off, "yes")),
                ("deletion_cost.interval", Key(["5s", "30s", "1h"], "4s", "2h")),
                ("deletion_cost.pod_selector", Key(["app.kubernetes.io/component=gpu-worker", "a=b,c!=d"], "\"\"", "\"a b\"")),
                ("deletion_cost.local_node_label", Key(["etrid.io/gpu-pool=local"], "nolabel")),
                ("external_metrics.enabled", Always(off, "yes")),
                // Always an ephemeral port: the defaults (6443, 6000) may be held by another test process.
                ("external_metrics.listen", Always(["https://127.0.0.1:0"], "http://127.0.0.1:0", "nonsense")),
                ("external_metrics.max_data_age", Key(["1s", "5m"], "0s")),
                ("external_metrics.metrics", Key(["[etrid_job_queue_depth]", "[]"], "[etrid_nope]")),
                ("external_metrics.authorization_cache_ttl", Key(["0s", "10s", "10m"], "11m")),
                ("external_metrics.tls.cert_file", Key([], "/nonexistent/tls.crt")),
                ("external_metrics.tls.service_name", Key(["etrid-external-metrics"], "Not_A_Label")),
                ("external_metrics.tls.service_namespace", Key(["scaling"], "-bad-")),
                ("external_metrics.tls.extra_names", Key(["[localhost]"])),
                ("external_metrics.tls.reload_interval", Key(["1s", "1m"], "500ms")),
                ("external_metrics.review_timeout", Key(["1s", "1m"], "0s", "2m")),
                ("external_metrics.kubernetes.mode", Key([], "none")),
                ("external_metrics.authentication.from_cluster", Key(["true", "false"], "maybe")),
                ("external_metrics.authentication.token_review", Key(["true", "false"])),
                ("external_metrics.authentication.client_ca_file", Key([], "/nonexistent/ca.crt")),
                ("external_metrics.authentication.token_file", Key([], "/nonexistent/tokens.csv")),
                ("external_metrics.authentication.requestheader_username_headers", Key(["[X-Remote-User]"], "[]")),
                ("external_metrics.authentication.cache_ttl", Key(["0s", "10s"], "11m")),
                ("external_metrics.authentication.allow_anonymous", Key(["true", "false"])),
                ("keda_scaler.enabled", Always(off, "yes")),
                ("keda_scaler.listen", Always(["http://127.0.0.1:0"], "https://127.0.0.1:0", "tcp://x")),
                ("keda_scaler.max_data_age", Key(["1s", "5m"], "0s")),
                ("keda_scaler.default_metric", Key(["etrid_job_queue_depth"], "etrid_nope")),
                ("keda_scaler.tls.cert_file", Key([], "/nonexistent/tls.crt")),
                ("keda_scaler.tls.client_ca_file", Key([], "/nonexistent/ca.crt")),
                ("keda_scaler.tls.reload_interval", Key(["1s", "1m"], "500ms")),
                ("mithril_auto.enabled", Key(["false"], "sometimes")),
                ("mithril_auto.dry_run", Key(["true", "false"])),
                ("mithril_auto.max_suspended_bids", Key(["0", "2"], "x")),
                ("mithril_auto.scale_up_after", Key(["30s", "2m"], "soon")),
                ("mithril_auto.startup_script", Key(["\"echo hi\""], "\"" + new string('x', 10_001) + "\"")),
                ("mithril_auto.max_hourly_spend_usd", Key(["40", "0.5"], "lots")),
                ("mithril_auto.max_suspended_bid", Key([], "2")),
                ("mithril_auto.kubernetes.kubeconfig", Key([], "/etc/kubeconfig")),
                ("kubernetes.mode", Key(["auto", "none"], "cluster", "kubeconfig")),
                ("kubernetes.kubeconfig", Key([], "/nonexistent/kubeconfig")),
            };
            var values = keys.Select(k => k.Value).ToArray().Aggregate(Gen.Const(Array.Empty<Value>()), (all, next) => Gen.Select(all, next, (a, v) => (Value[])[.. a, v]));
            return Gen.Select(values, Gen.Bool, (v, dirty) => Yaml(keys.Select((k, i) => (k.Key, dirty && v[i].Wrong && v[i].Bad is not null ? v[i].Bad : v[i].Ok))));
        }
    }

    private readonly record struct Value(string? Ok, string? Bad, bool Wrong);

    // The given keys (dotted paths, in order) as nested YAML; absent ones left out.
    private static string Yaml(IEnumerable<(string Key, string? Value)> keys)
    {
        var yaml = new StringBuilder();
        var open = Array.Empty<string>();
        foreach (var (key, value) in keys)
        {
            if (value is null)
            {
                continue;
            }

            var path = key.Split('.');
            var common = 0;
            while (common < open.Length && common < path.Length - 1 && open[common] == path[common])
            {
                common++;
            }

            for (var depth = common; depth < path.Length - 1; depth++)
            {
                yaml.Append(' ', depth * 2).Append(path[depth]).Append(":\n");
            }

            yaml.Append(' ', (path.Length - 1) * 2).Append(path[^1]).Append(": ").Append(value).Append('\n');
            open = path[..^1];
        }

        return yaml.ToString();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
