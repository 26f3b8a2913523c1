using Etrid.AiCompute.Follower;
using Etrid.Exporter.Configuration;

namespace Etrid.Exporter.Tests.Configuration;

public sealed class ExporterConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-config-").FullName;

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static ExporterOptions? Load(string? path, Dictionary<string, string>? env, out IReadOnlyList<string> problems)
    {
        (var options, problems) = ExporterConfiguration.Load(path, env ?? []);
        return options;
    }

    [Fact]
    public void NoFile_GivesTheDocumentedDefaults()
    {
        var options = Load(null, null, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal("ai-compute", options.Pbc);
        Assert.Equal([new Uri("ws://127.0.0.1:9944")], options.Chain.ToClientOptions().Endpoints);
        Assert.Equal(FinalityMode.Finalized, options.Chain.ToFollowerOptions().Finality);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Chain.StalenessLimit);
        Assert.Equal(6, options.Chain.ToFollowerOptions().PalletSecondsPerBlock);
        Assert.Equal("http://0.0.0.0:9090", options.Listen.Metrics);
    }

    [Fact]
    public void Yaml_SetsEveryKey()
    {
        var path = Write("""
            pbc: ai-compute-test
            chain:
              endpoints:
                - wss://a.example:9944
                - wss://b.example:9944
              finality: best
              staleness_limit: 2m
              request_timeout: 5s
              watchdog_blocks: 4
              window: 300s
              verify_interval: 0s
              pallet_seconds_per_block: 12
            listen:
              metrics: http://127.0.0.1:9191
            """);
        var options = Load(path, null, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal("ai-compute-test", options.Pbc);
        var client = options.Chain.ToClientOptions();
        var follower = options.Chain.ToFollowerOptions();
        Assert.Equal(2, client.Endpoints.Count);
        Assert.Equal(FinalityMode.Best, follower.Finality);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Chain.StalenessLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), client.RequestTimeout);
        Assert.Equal(4, client.WatchdogBlocks);
        Assert.Equal(TimeSpan.FromSeconds(300), follower.Window);
        Assert.Equal(TimeSpan.Zero, follower.VerifyInterval);
        Assert.Equal(12, follower.PalletSecondsPerBlock);
        Assert.Equal("http://127.0.0.1:9191", options.Listen.Metrics);
    }

    [Fact]
    public void EnvironmentVariables_OverrideAnyKey()
    {
        var path = Write("chain:\n  staleness_limit: 2m\n  endpoints: [wss://a.example]\n");
        var env = new Dictionary<string, string>
        {
            ["ETRID_CHAIN__STALENESS_LIMIT"] = "30s",
            ["ETRID_CHAIN__ENDPOINTS__1"] = "wss://b.example",
            ["ETRID_PBC"] = "other",
        };
        var options = Load(path, env, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Chain.StalenessLimit);
        Assert.Equal(["wss://a.example/", "wss://b.example/"], options.Chain.ToClientOptions().Endpoints.Select(e => e.ToString()));
        Assert.Equal("other", options.Pbc);
    }

    [Fact]
    public void EnvironmentList_CommaSeparated_ReplacesTheList()
    {
        var options = Load(null, new Dictionary<string, string> { ["ETRID_CHAIN__ENDPOINTS"] = "ws://a:1, ws://b:2" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(2, options.Chain.ToClientOptions().Endpoints.Count);
    }

    [Fact]
    public void Variables_AreExpandedFromTheEnvironment()
    {
        var path = Write("chain:\n  endpoints: [\"wss://node.example/?apikey=${NODE_KEY}\"]\n");
        var options = Load(path, new Dictionary<string, string> { ["NODE_KEY"] = "s3cret" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal("apikey=s3cret", options.Chain.ToClientOptions().Endpoints[0].Query.TrimStart('?'));
    }

    [Fact]
    public void Problems_AreAllListed_WithTheirKeyPaths()
    {
        var path = Write("""
            pbc: ""
            chain:
              endpoints: ["ftp://x", "not a url"]
              finality: sometimes
              staleness_limit: soon
              watchdog_blocks: many
              window: 1s
              typo_key: 1
            listen:
              metrics: tcp://0.0.0.0:1
            """);
        var options = Load(path, new Dictionary<string, string>(), out var problems);
        Assert.Null(options);
        string[] expected =
        [
            "chain.endpoints[1]", "chain.finality", "chain.staleness_limit", "chain.watchdog_blocks", "chain.window",
            "chain.typo_key", "listen.metrics", "pbc",
        ];
        Assert.All(expected, key => Assert.Contains(problems, p => p.StartsWith(key + ":", StringComparison.Ordinal)));
    }

    [Fact]
    public void MissingVariable_IsAProblemNamingItsKey()
    {
        var path = Write("chain:\n  endpoints: [\"wss://${NODE_HOST}:9944\"]\n");
        Load(path, [], out var problems);
        Assert.Contains(problems, p => p.StartsWith("chain.endpoints[0]: environment variable NODE_HOST is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void YamlSyntaxError_NamesTheLine()
    {
        var path = Write("chain:\n  endpoints: [unclosed\n");
        Load(path, [], out var problems);
        Assert.Contains(problems, p => p.Contains("config.yaml", StringComparison.Ordinal) && p.Contains("Line", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void MissingFile_IsAProblem_NotACrash()
    {
        Load(Path.Combine(_dir, "absent.yaml"), [], out var problems);
        Assert.Contains(problems, p => p.Contains("absent.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Print_RedactsCredentialsAndQueryValues()
    {
        var path = Write("chain:\n  endpoints: [\"wss://user:hunter2@node.example:9944/?apikey=s3cret\"]\n");
        var text = ConfigPrinter.Print(Load(path, [], out _)!);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("apikey=***", text, StringComparison.Ordinal);
        Assert.Contains("staleness_limit: 60s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_SuggestsTheKeyMeant()
    {
        var path = Write("chain:\n  stalenesslimit: 2m\n");
        Load(path, [], out var problems);
        Assert.Contains("chain.stalenesslimit: unknown key (did you mean 'staleness_limit'?)", problems);
    }

    [Fact]
    public void ASectionWhereAValueBelongs_AndAValueWhereASectionBelongs_AreProblems()
    {
        var path = Write("pbc:\n  a: 1\nchain: 5\n");
        Load(path, [], out var problems);
        Assert.Contains(problems, p => p.StartsWith("pbc: expected a single value", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("chain: expected a section", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryKeyTheOptionsDeclare_IsPrintedByCheckConfig_AndLoadsBackTheSame()
    {
        var path = Write("chain:\n  endpoints: [wss://a.example:9944]\n  block_time: 500ms\n  window: 90s\n");
        var printed = ConfigPrinter.Print(Load(path, [], out _)!);
        var again = Load(Write(printed), [], out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(printed, ConfigPrinter.Print(again));
        Assert.Contains("block_time: 500ms", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedAliases_FillTheEndpoints_WebsocketUrlFirst()
    {
        var options = Load(null, new() { ["ETRID_RPC_URL"] = "https://node.example:9944", ["ETRID_WEBSOCKET_URL"] = "wss://node.example:9944" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(["wss://node.example:9944", "https://node.example:9944"], options.Chain.Endpoints);

        var yaml = Load(Write("rpc_url: http://10.0.0.5:9944\n"), [], out problems)!;
        Assert.Empty(problems);
        Assert.Equal(["http://10.0.0.5:9944"], yaml.Chain.Endpoints);
    }

    [Fact]
    public void SeedAlias_BesideChainEndpoints_IsAProblem()
    {
        Load(Write("rpc_url: http://10.0.0.5:9944\nchain:\n  endpoints: [ws://10.0.0.6:9944]\n"), [], out var problems);
        Assert.Contains(problems, p => p.StartsWith("rpc_url, websocket_url: aliases of chain.endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public void MithrilAuto_BindsThePools_AndListsEveryProblemWithItsKey()
    {
        var good = Load(Write("""
            mithril_auto:
              enabled: true
              project_id: proj_abc
              region: us-central1-a
              api_token: ${MITHRIL_TOKEN}
              api_endpoint: http://127.0.0.1:8700
              max_hourly_spend_usd: 40
              scale_up_after: 30s
              agent_download_url: https://downloads.example/etrid-gpu-worker/{version}
              controller_address: https://exporter.example:9090
              pool_details:
                - pool_name: a100
                  instance_type: it_a100x8
                  limit_price_per_gpu_hour: 2.5
            """), new() { ["MITHRIL_TOKEN"] = "fkey_secret_value" }, out var problems);
        Assert.Empty(problems);
        Assert.True(good!.MithrilAuto.Enabled);
        Assert.Equal("fkey_secret_value", good.MithrilAuto.ApiToken);
        Assert.Equal(TimeSpan.FromSeconds(30), good.MithrilAuto.ScaleUpAfter);
        Assert.Equal(40m, good.MithrilAuto.MaxHourlySpendUsd);
        Assert.Equal("it_a100x8", Assert.Single(good.MithrilAuto.PoolDetails).InstanceType);
        Assert.DoesNotContain("fkey_secret_value", ConfigPrinter.Print(good), StringComparison.Ordinal);

        Load(Write("mithril_auto:\n  enabled: true\n  project_id: abc\n"), [], out problems);
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.project_id: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.region: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.api_token: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.pool_details: at least one pool", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.agent_download_url: required when enabled and not dry_run", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.controller_address: required when enabled and not dry_run", StringComparison.Ordinal));

        Load(Write("mithril_auto:\n  max_suspended_bid: 2\n"), [], out problems);
        Assert.Contains("mithril_auto.max_suspended_bid: unknown key (did you mean 'max_suspended_bids'?)", problems);
    }

    [Fact]
    public void MithrilAuto_Labels_AreAMapOfStrings_AsTheSeedWritesThem()
    {
        var options = Load(Write("mithril_auto:\n  labels:\n    team: x\n    cost_center: gpu-42\n"), [], out var problems);

        Assert.Empty(problems);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "x", ["cost_center"] = "gpu-42" }, options!.MithrilAuto.Labels);
        Assert.Contains("    team: x", ConfigPrinter.Print(options), StringComparison.Ordinal);

        Load(Write("mithril_auto:\n  labels:\n    team:\n      nested: x\n"), [], out problems);
        Assert.Equal(["mithril_auto.labels.team: expected a single value, found a section"], problems);
    }

    [Theory]
    [InlineData("1m30s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("6s", 6)]
    [InlineData("1.5h", 5400)]
    [InlineData("2h45m30.5s", 9930.5)]
    [InlineData("90", 90)]
    [InlineData("0", 0)]
    public void Durations_AreGoDurations_InEveryKey(string text, double seconds)
    {
        var options = Load(Write($"""
            chain:
              verify_interval: {text}
            mithril_auto:
              scale_up_after: {text}
              autoscaler_config:
                idle_decay: {text}
              pool_details:
                - pool_name: a
                  autoscaler_config:
                    kill_unknown_after: {text}
            """), [], out var problems);

        Assert.Empty(problems);
        var expected = TimeSpan.FromSeconds(seconds);
        Assert.Equal(expected, options!.Chain.VerifyInterval);
        Assert.Equal(expected, options.MithrilAuto.ScaleUpAfter);
        Assert.Equal(expected, options.MithrilAuto.AutoscalerConfig.IdleDecay);
        Assert.Equal(expected, options.MithrilAuto.AutoscalerFor(options.MithrilAuto.PoolDetails[0]).KillUnknownAfter);
    }

    [Theory]
    [InlineData("99999999999h", "is out of range")]
    [InlineData("99999999999999999999999999999999s", "is out of range")]
    [InlineData("1e300s", "is not a duration")]
    [InlineData("1m30", "is not a duration")]
    [InlineData("1d", "is not a duration")]
    [InlineData("-5s", "is not a duration")]
    [InlineData("1h 30m", "is not a duration")]
    public void Durations_Wrong_OneLineNamingTheKey(string text, string error)
    {
        Load(Write($"mithril_auto:\n  autoscaler_config:\n    idle_decay: {text}\n"), [], out var problems);

        var problem = Assert.Single(problems);
        Assert.StartsWith($"mithril_auto.autoscaler_config.idle_decay: '{text}' {error}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MithrilAuto_APoolsAutoscalerBlock_OverridesOnlyTheKeysItSets()
    {
        var options = Load(Write("""
            mithril_auto:
              autoscaler_config:
                max_agents: 8
                max_idle_agents: 3
                idle_decay: 2m
                sync_loop_interval: 30s
              pool_details:
                - pool_name: small
                  autoscaler_config:
                    max_agents: 2
                - pool_name: plain
            """), [], out var problems);

        Assert.Empty(problems);
        var small = options!.MithrilAuto.AutoscalerFor(options.MithrilAuto.PoolDetails[0]);
        Assert.Equal((2, 3, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30)), (small.MaxAgents, small.MaxIdleAgents, small.IdleDecay, small.SyncLoopInterval));
        var plain = options.MithrilAuto.AutoscalerFor(options.MithrilAuto.PoolDetails[1]);
        Assert.Equal((8, 3, TimeSpan.FromMinutes(2)), (plain.MaxAgents, plain.MaxIdleAgents, plain.IdleDecay));

        // The merged bounds are what is checked: the pool's own max under the inherited min is named at the pool.
        Load(Write("mithril_auto:\n  enabled: true\n  autoscaler_config:\n    min_agents: 3\n  pool_details:\n    - pool_name: small\n      autoscaler_config:\n        max_agents: 2\n"), [], out problems);
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.pool_details[0].autoscaler_config.min_agents: must not exceed max_agents (3 > 2)", StringComparison.Ordinal));
    }

    [Fact]
    public void AStartupScriptTooLongForTheBootScript_IsAProblem_EvenBuiltInCodeAndDisabled()
    {
        // Options made in code (not loaded) meet the same limit the loader applies to every value.
        var options = new ExporterOptions { MithrilAuto = new() { StartupScript = new string('x', 10_001) } };
        Assert.Contains("mithril_auto.startup_script: 10001 characters, over the boot script's limit of 10000 (the API's limit on startup_script)", ExporterConfiguration.Validate(options, _ => null));
        Assert.Empty(ExporterConfiguration.Validate(new ExporterOptions { MithrilAuto = new() { StartupScript = new string('x', 10_000) } }, _ => null));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
