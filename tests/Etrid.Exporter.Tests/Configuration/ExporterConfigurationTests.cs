using Etrid.AiCompute.Follower;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Etrid.Mithril.Options;
using Etrid.Substrate.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Tests.Configuration;

/// <summary>The configuration as the host loads it: the file and the environment, bound into each part's section and validated by its validator.</summary>
public sealed class ExporterConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-config-").FullName;
    private readonly List<CheckedConfiguration> _checked = [];

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    // The file checked as check-config and serve check it (every part's validation); null when there were problems.
    private Loaded? Load(string? path, Dictionary<string, string>? env, out IReadOnlyList<string> problems)
    {
        (var checkedConfiguration, problems) = ExporterHost.Check(path, env ?? []);
        if (checkedConfiguration is null)
        {
            return null;
        }

        _checked.Add(checkedConfiguration);
        return new Loaded(checkedConfiguration.Services);
    }

    private sealed record Loaded(IServiceProvider Services)
    {
        public T Section<T>()
            where T : class => Services.GetRequiredService<IOptions<T>>().Value;

        public string Print() => ConfigPrinter.Print(Services);
    }

    [Fact]
    public void NoFile_GivesTheDocumentedDefaults()
    {
        var options = Load(null, null, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal("ai-compute", options.Section<ExporterOptions>().Pbc);
        Assert.Equal([new Uri("ws://127.0.0.1:9944")], options.Section<SubstrateClientOptions>().Endpoints);
        Assert.Equal(FinalityMode.Finalized, options.Section<FollowerOptions>().Finality);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Section<FollowerOptions>().StalenessLimit);
        Assert.Equal(6, options.Section<FollowerOptions>().PalletSecondsPerBlock);
        Assert.Equal("http://0.0.0.0:9090", options.Section<ListenOptions>().Metrics);
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
        Assert.Equal("ai-compute-test", options.Section<ExporterOptions>().Pbc);
        var client = options.Section<SubstrateClientOptions>();
        var follower = options.Section<FollowerOptions>();
        Assert.Equal(2, client.Endpoints.Count);
        Assert.Equal(FinalityMode.Best, follower.Finality);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Section<FollowerOptions>().StalenessLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), client.RequestTimeout);
        Assert.Equal(4, client.WatchdogBlocks);
        Assert.Equal(TimeSpan.FromSeconds(300), follower.Window);
        Assert.Equal(TimeSpan.Zero, follower.VerifyInterval);
        Assert.Equal(12, follower.PalletSecondsPerBlock);
        Assert.Equal("http://127.0.0.1:9191", options.Section<ListenOptions>().Metrics);
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
        Assert.Equal(TimeSpan.FromSeconds(30), options.Section<FollowerOptions>().StalenessLimit);
        Assert.Equal(["wss://a.example/", "wss://b.example/"], options.Section<SubstrateClientOptions>().Endpoints.Select(e => e.ToString()));
        Assert.Equal("other", options.Section<ExporterOptions>().Pbc);
    }

    [Fact]
    public void EnvironmentList_CommaSeparated_ReplacesTheList()
    {
        var options = Load(null, new Dictionary<string, string> { ["ETRID_CHAIN__ENDPOINTS"] = "ws://a:1, ws://b:2" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(2, options.Section<SubstrateClientOptions>().Endpoints.Count);
    }

    [Fact]
    public void Variables_AreExpandedFromTheEnvironment()
    {
        var path = Write("chain:\n  endpoints: [\"wss://node.example/?apikey=${NODE_KEY}\"]\n");
        var options = Load(path, new Dictionary<string, string> { ["NODE_KEY"] = "s3cret" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal("apikey=s3cret", options.Section<SubstrateClientOptions>().Endpoints[0].Query.TrimStart('?'));
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
        var text = Load(path, [], out _)!.Print();
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
        var printed = Load(path, [], out _)!.Print();
        var again = Load(Write(printed), [], out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(printed, again.Print());
        Assert.Contains("block_time: 500ms", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedAliases_FillTheEndpoints_WebsocketUrlFirst()
    {
        var options = Load(null, new() { ["ETRID_RPC_URL"] = "https://node.example:9944", ["ETRID_WEBSOCKET_URL"] = "wss://node.example:9944" }, out var problems)!;
        Assert.Empty(problems);
        Assert.Equal(["wss://node.example:9944", "https://node.example:9944"], options.Section<SubstrateClientOptions>().Endpoints.Select(e => e.OriginalString));

        var yaml = Load(Write("rpc_url: http://10.0.0.5:9944\n"), [], out problems)!;
        Assert.Empty(problems);
        Assert.Equal(["http://10.0.0.5:9944"], yaml.Section<SubstrateClientOptions>().Endpoints.Select(e => e.OriginalString));
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
        Assert.True(good!.Section<MithrilAutoOptions>().Enabled);
        Assert.Equal("fkey_secret_value", good.Section<MithrilAutoOptions>().ApiToken);
        Assert.Equal(TimeSpan.FromSeconds(30), good.Section<MithrilAutoOptions>().ScaleUpAfter);
        Assert.Equal(40m, good.Section<MithrilAutoOptions>().MaxHourlySpendUsd);
        Assert.Equal("it_a100x8", Assert.Single(good.Section<MithrilAutoOptions>().PoolDetails).InstanceType);
        Assert.DoesNotContain("fkey_secret_value", good.Print(), StringComparison.Ordinal);

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
        Assert.Equal(new Dictionary<string, string> { ["team"] = "x", ["cost_center"] = "gpu-42" }, options!.Section<MithrilAutoOptions>().Labels);
        Assert.Contains("    team: x", options.Print(), StringComparison.Ordinal);

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
        Assert.Equal(expected, options!.Section<FollowerOptions>().VerifyInterval);
        Assert.Equal(expected, options.Section<MithrilAutoOptions>().ScaleUpAfter);
        Assert.Equal(expected, options.Section<MithrilAutoOptions>().AutoscalerConfig.IdleDecay);
        Assert.Equal(expected, options.Section<MithrilAutoOptions>().AutoscalerFor(options.Section<MithrilAutoOptions>().PoolDetails[0]).KillUnknownAfter);
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
        var small = options!.Section<MithrilAutoOptions>().AutoscalerFor(options.Section<MithrilAutoOptions>().PoolDetails[0]);
        Assert.Equal((2, 3, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30)), (small.MaxAgents, small.MaxIdleAgents, small.IdleDecay, small.SyncLoopInterval));
        var plain = options.Section<MithrilAutoOptions>().AutoscalerFor(options.Section<MithrilAutoOptions>().PoolDetails[1]);
        Assert.Equal((8, 3, TimeSpan.FromMinutes(2)), (plain.MaxAgents, plain.MaxIdleAgents, plain.IdleDecay));

        // The merged bounds are what is checked: the pool's own max under the inherited min is named at the pool.
        Load(Write("mithril_auto:\n  enabled: true\n  autoscaler_config:\n    min_agents: 3\n  pool_details:\n    - pool_name: small\n      autoscaler_config:\n        max_agents: 2\n"), [], out problems);
        Assert.Contains(problems, p => p.StartsWith("mithril_auto.pool_details[0].autoscaler_config.min_agents: must not exceed max_agents (3 > 2)", StringComparison.Ordinal));
    }

    [Fact]
    public void AStartupScriptTooLongForTheBootScript_IsAProblem_EvenBuiltInCodeAndDisabled()
    {
        // Options made in code (not loaded) meet the same limit the loader applies to every value.
        var validation = new MithrilAutoOptionsValidation(_ => null);
        Assert.Contains("mithril_auto.startup_script: 10001 characters, over the boot script's limit of 10000 (the API's limit on startup_script)", validation.Validate(null, new MithrilAutoOptions { StartupScript = new string('x', 10_001) }).Failures!);
        Assert.False(validation.Validate(null, new MithrilAutoOptions { StartupScript = new string('x', 10_000) }).Failed);
    }

    public void Dispose()
    {
        foreach (var done in _checked)
        {
            done.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
