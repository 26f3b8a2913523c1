using Etrid.Exporter.Tests.Support;

namespace Etrid.Exporter.Tests.Cli;

/// <summary>
/// Configuration input is bounded (README, "Configuration limits"): the executable's entry point, run in-process, refuses
/// a file over 1 MiB, YAML nested deeper than 64 levels or expanding past 10,000 values through its aliases, a
/// value over 10,000 characters, and numbers and durations beyond their type's range, each with one line naming the
/// file or the key, exit 2 and no stack trace; <c>serve</c> loads the same way and refuses the same.
/// </summary>
public sealed class ConfigurationLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etrid-limits-").FullName;

    // The issue's 398-byte alias bomb: nine levels of nine aliases stand for 9^9 values.
    private static readonly string AliasBomb = string.Join('\n', "abcdefghi".Select((name, level) =>
        $"{name}: &{name} [{string.Join(',', Enumerable.Repeat(level == 0 ? "\"lol\"" : "*" + (char)(name - 1), 9))}]")) + "\n";

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        CliRun.ExporterAsync(args, environment);

    // One line naming the file or key (then the count), exit 2, no trace.
    private static async Task AssertRefusedAsync(string[] args, string named, string what, IReadOnlyDictionary<string, string>? environment = null)
    {
        var p = await RunAsync(args, environment);
        Assert.True(p.Exit == 2, $"exit {p.Exit}; stderr: {p.Stderr}");
        Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
        var line = Assert.Single(p.StderrLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(what, line, StringComparison.Ordinal);
    }

    private static async Task AssertAcceptedAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var p = await RunAsync(args, environment);
        Assert.True(p.Exit == 0, $"exit {p.Exit}; stderr: {p.Stderr}");
    }

    [Theory]
    [InlineData("check-config")]
    [InlineData("serve")]
    public async Task AliasBomb_IsRefusedWithOneLine_AndOrdinaryAliasesStillWork(string verb)
    {
        Assert.True(AliasBomb.Length < 400, AliasBomb);
        await AssertRefusedAsync([verb, "--config", Write("bomb.yaml", AliasBomb)], "bomb.yaml", "more than 10000 values once YAML aliases are expanded");

        // The usual use of an anchor, one block shared by several pools, is well within the bound.
        var shared = Write("shared.yaml", """
            mithril_auto:
              autoscaler_config: &bounds
                max_agents: 3
              pool_details:
                - pool_name: a
                  instance_type: it_a
                  limit_price_per_gpu_hour: 1
                  autoscaler_config: *bounds
                - pool_name: b
                  instance_type: it_b
                  limit_price_per_gpu_hour: 2
                  autoscaler_config: *bounds
            """);
        await AssertAcceptedAsync(["check-config", "--config", shared]);
    }

    [Fact]
    public async Task AliasesThatNestTooDeep_AreRefused()
    {
        // Each level is shallow; the aliases stack them past 64.
        var yaml = "a0: &a0 [x]\n" + string.Concat(Enumerable.Range(1, 70).Select(i => $"a{i}: &a{i} [*a{i - 1}]\n"));
        await AssertRefusedAsync(["check-config", "--config", Write("stacked.yaml", yaml)], "stacked.yaml", "nested deeper than 64 levels once aliases are expanded");
    }

    [Theory]
    [InlineData("check-config")]
    [InlineData("serve")]
    public async Task AFileOver1MiB_IsRefused_AndOneOf1MiBIsRead(string verb)
    {
        var line = new string('#', 99) + "\n";
        var within = "pbc: ai-compute\n" + string.Concat(Enumerable.Repeat(line, 10_000));
        within += new string('#', (1 << 20) - within.Length - 1) + "\n";
        Assert.Equal(1 << 20, within.Length);
        await AssertRefusedAsync([verb, "--config", Write("large.yaml", within + "\n")], "large.yaml", "larger than 1048576 bytes (1 MiB)");
        await AssertAcceptedAsync(["check-config", "--config", Write("full.yaml", within)]);
    }

    [Theory]
    [InlineData("check-config", 65)]
    [InlineData("check-config", 20_000)]
    [InlineData("serve", 20_000)]
    public async Task NestingDeeperThan64_IsRefused(string verb, int depth)
    {
        // 20,000 levels is the issue's 40 KB file that took 34 s.
        var yaml = "pbc: " + new string('[', depth - 1) + new string(']', depth - 1) + "\n";
        await AssertRefusedAsync([verb, "--config", Write("deep.yaml", yaml)], "deep.yaml", "nested deeper than 64 levels");
    }

    [Fact]
    public async Task AStartupScriptOver10000Characters_IsRefusedAtCheckConfig_FromTheFileOrAVariable()
    {
        await AssertAcceptedAsync(["check-config", "--config", Write("fits.yaml", $"mithril_auto:\n  startup_script: {new string('x', 10_000)}\n")]);
        await AssertRefusedAsync(["check-config", "--config", Write("script.yaml", $"mithril_auto:\n  startup_script: {new string('x', 10_001)}\n")], "mithril_auto.startup_script", "10001 characters, over the limit of 10000");
        await AssertRefusedAsync(["check-config"], "mithril_auto.startup_script", "over the limit of 10000", new Dictionary<string, string> { ["ETRID_MITHRIL_AUTO__STARTUP_SCRIPT"] = new string('x', 20_000) });
        await AssertRefusedAsync(["serve"], "mithril_auto.startup_script", "over the limit of 10000", new Dictionary<string, string> { ["ETRID_MITHRIL_AUTO__STARTUP_SCRIPT"] = new string('x', 20_000) });
    }

    [Theory]
    [InlineData("ETRID_CHAIN__STALENESS_LIMIT", "99999999999h", "chain.staleness_limit", "out of range (at most 2562047h")]
    [InlineData("ETRID_CHAIN__STALENESS_LIMIT", "9223372036854775808", "chain.staleness_limit", "out of range (at most 2562047h")]
    [InlineData("ETRID_MITHRIL_AUTO__AUTOSCALER_CONFIG__MAX_AGENTS", "99999999999999999999", "mithril_auto.autoscaler_config.max_agents", "out of range (a whole number from -2147483648 to 2147483647)")]
    [InlineData("ETRID_CHAIN__MAX_JOBS", "-99999999999999999999", "chain.max_jobs", "out of range (a whole number from")]
    [InlineData("ETRID_MITHRIL_AUTO__MAX_HOURLY_SPEND_USD", "99999999999999999999999999999999999", "mithril_auto.max_hourly_spend_usd", "out of range (at most 79228162514264337593543950335)")]
    [InlineData("ETRID_MITHRIL_AUTO__TARGET_JOBS_PER_GPU", "1e400", "mithril_auto.target_jobs_per_gpu", "out of range")]
    public async Task NumbersAndDurationsBeyondTheirType_AreOneLineNamingTheKey_FromAVariable(string variable, string value, string key, string what)
    {
        await AssertRefusedAsync(["check-config"], $"error: {key}: '{value}' is ", what, new Dictionary<string, string> { [variable] = value });
    }

    [Fact]
    public async Task NumbersAndDurationsBeyondTheirType_AreOneLineEachNamingTheKey_FromTheFile()
    {
        var config = Write("numbers.yaml", """
            chain:
              staleness_limit: 99999999999h
            mithril_auto:
              max_hourly_spend_usd: 99999999999999999999999999999999999
              pool_details:
                - pool_name: a
                  autoscaler_config:
                    max_agents: 99999999999999999999
            """);
        foreach (var verb in new[] { "check-config", "serve" })
        {
            var p = await RunAsync([verb, "--config", config]);
            Assert.Equal(2, p.Exit);
            Assert.DoesNotContain("   at ", p.Stderr, StringComparison.Ordinal);
            string[] expected =
            [
                "error: chain.staleness_limit: '99999999999h' is out of range",
                "error: mithril_auto.max_hourly_spend_usd: '99999999999999999999999999999999999' is out of range",
                "error: mithril_auto.pool_details[0].autoscaler_config.max_agents: '99999999999999999999' is out of range",
            ];
            Assert.All(expected, e => Assert.Single(p.StderrLines, l => l.StartsWith(e, StringComparison.Ordinal)));
            Assert.Equal(3, p.StderrLines.Count(l => l.StartsWith("error:", StringComparison.Ordinal)));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
