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
    public async Task GeneratedConfigurations_GetTheSameVerdictFromCheckConfigAndServe()
    {
        await Configurations.SampleAsync(async yaml =>
        {
            var path = Write(yaml);
            var check = await CliRun.ExporterAsync(["check-config", "--config", path]);
            var serve = await ServeRun.RunAsync(path);
            Assert.True(serve.Thrown is null, $"serve threw {serve.Thrown}\n{yaml}");
            Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
            if (check.Exit == 0)
            {
                Assert.True(serve.Started && serve.Exit == 0, $"check-config accepted, serve exited {serve.Exit}: {serve.Stderr}\n{yaml}");
            }
            else
            {
                Assert.False(serve.Started, $"check-config refused ({check.Stderr}), serve started\n{yaml}");
                Assert.True(check.Stderr == serve.Stderr, $"check-config said:\n{check.Stderr}\nserve said:\n{serve.Stderr}\n{yaml}");
            }
        }, iter: 150, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    // Every key of the chain section and the top-level keys, each absent or given a value: mostly in range or at an
    // edge (so that about a third of the files are valid key by key and the cross-key rules decide), sometimes beyond
    // (wrong kind, out of range).
    private static Gen<string> Configurations
    {
        get
        {
            static Gen<string?> Key(string[] valid, params string[] invalid) => Gen.Frequency(
                (6, (IGen<string?>)Gen.Const((string?)null)),
                (13, valid.Length == 0 ? Gen.Const((string?)null) : Gen.OneOf(valid).Select(v => (string?)v)),
                (1, invalid.Length == 0 ? Gen.Const((string?)null) : Gen.OneOf(invalid).Select(v => (string?)v)));
            string[] delays = ["1ms", "500ms", "1s", "30s", "10m", "1h"];
            string[] timeouts = ["1ms", "10s", "1h"];
            var chain = new (string Key, Gen<string?> Value)[]
            {
                ("endpoints", Key(["[\"ws://127.0.0.1:9\"]", "[\"http://127.0.0.1:9\"]", "[\"wss://user:pw@node.example:443/?k=v\"]", "[]"], "[\"ftp://node:21\"]", "[\"not a url\"]")),
                ("finality", Key(["finalized", "best"], "latest")),
                ("staleness_limit", Key(["1s", "60s", "24h"], "0s", "500ms", "25h", "x")),
                ("request_timeout", Key(timeouts, "0s", "2h", "-1s")),
                ("connect_timeout", Key(timeouts, "0s", "2h", "-1s")),
                ("reconnect_base_delay", Key(delays, "0s", "11m", "soon")),
                ("reconnect_max_delay", Key(delays, "0s", "2h")),
                ("retry_delay", Key(delays, "0s", "11m")),
                ("max_retry_delay", Key(delays, "0s", "2h")),
                ("watchdog_blocks", Key(["0", "10", "10000"], "-1", "10001", "many")),
                ("block_time", Key(["1ms", "6s", "1h"], "0s", "2h")),
                ("genesis_hash", Key(["\"0x" + new string('a', 64) + "\""], "\"0x1234\"", "\"" + new string('a', 66) + "\"")),
                ("head_tolerance_blocks", Key(["1", "100", "1000000"], "0", "1000001")),
                ("pallet_seconds_per_block", Key(["1", "2", "6", "3600"], "0", "3601")),
                ("max_message_bytes", Key(["65536", "16777216", "1073741824"], "65535", "1073741825")),
                ("window", Key(["1s", "2s", "3s", "5s", "6s", "600s", "168h"], "0s", "169h")),
                ("verify_interval", Key(["0s", "10m", "168h"], "169h", "-1s")),
                ("max_gap_blocks", Key(["1", "100", "100000"], "0", "100001")),
                ("sync_parallelism", Key(["1", "4", "64"], "0", "65")),
                ("max_jobs", Key(["1", "5000000", "100000000"], "0", "100000001")),
                ("max_gpus", Key(["1", "10000000"], "0", "10000001")),
                ("max_new_jobs_per_block", Key(["1", "1000000"], "0", "1000001")),
                ("windw", Key([], "5m")),
            };
            var pbc = Key(["ai-compute", "pbc.2"], "\"\"", "\"two words\"");
            var metrics = Gen.Frequency((18, "http://127.0.0.1:0"), (1, "ftp://127.0.0.1:0"), (1, "http://127.0.0.1:0/metrics"));
            var alias = Key(["http://127.0.0.1:9", "ws://127.0.0.1:9"]);
            return Gen.Select(chain.Select(k => k.Value).ToArray().Aggregate(Gen.Const(Array.Empty<string?>()), (all, next) => Gen.Select(all, next, (a, v) => (string?[])[.. a, v])), pbc, metrics, alias, (values, p, m, a) =>
            {
                var yaml = new StringBuilder();
                if (p is not null)
                {
                    yaml.Append("pbc: ").Append(p).Append('\n');
                }

                if (a is not null)
                {
                    yaml.Append("rpc_url: ").Append(a).Append('\n');
                }

                yaml.Append("chain:\n");
                for (var i = 0; i < chain.Length; i++)
                {
                    if (values[i] is { } v)
                    {
                        yaml.Append("  ").Append(chain[i].Key).Append(": ").Append(v).Append('\n');
                    }
                }

                yaml.Append(Quiet.Replace("http://127.0.0.1:0", m, StringComparison.Ordinal));
                return yaml.ToString();
            });
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
