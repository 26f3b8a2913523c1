using Etrid.Burst.Options;
using Etrid.Mithril.Options;

namespace Etrid.Mithril.Tests.Options;

public sealed class MithrilAutoOptionsTests
{
    private static readonly Func<string, string?> NoEnv = _ => null;

    private static MithrilAutoOptions Valid() => new()
    {
        Enabled = true,
        ProjectId = "proj_abc123456",
        Region = "us-central1-a",
        ApiToken = "fkey_secret_value",
        SshKeyIds = ["sshkey_abc"],
        AgentDownloadUrl = "https://downloads.example/etrid-gpu-worker/{version}",
        ControllerAddress = "https://exporter.example:9090",
        PoolDetails = [new PoolOptions { PoolName = "h100", InstanceType = "it_abc", LimitPricePerGpuHour = 3.5m }],
    };

    [Fact]
    public void Validate_AValidSection_HasNoProblems() => Assert.Empty(Valid().Validate("mithril_auto", NoEnv));

    [Fact]
    public void Validate_Disabled_IsNotChecked() => Assert.Empty(new MithrilAutoOptions().Validate("mithril_auto", NoEnv));

    [Fact]
    public void Validate_ReportsEveryProblemWithItsPath_AndNoSecret()
    {
        var options = new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = "abc",
            ApiToken = "",
            SshKeyIds = ["key1"],
            MaxSuspendedBids = -1,
            AgentDownloadUrl = "ftp://x/{version}",
            MaxHourlySpendUsd = 0,
            TailscaleConfig = new TailscaleOptions { PreAuthKey = "tskey secret", Server = new Uri("ftp://x/") },
            AutoscalerConfig = new AutoscalerOptions { MinAgents = 5, MaxAgents = 2, MinIdleAgents = 3, MaxIdleAgents = 1 },
            PoolDetails =
            [
                new PoolOptions { PoolName = "a", InstanceType = "h100", LimitPricePerGpuHour = 0 },
                new PoolOptions { PoolName = "a", InstanceType = "it_x", LimitPricePerGpuHour = 1, AutoscalerConfig = new AutoscalerOverrides { IdleDecay = TimeSpan.FromSeconds(-1) } },
            ],
        };

        var problems = options.Validate("mithril_auto", NoEnv).ToList();

        foreach (var key in new[]
        {
            "project_id", "region", "api_token", "agent_download_url", "ssh_key_ids[0]", "max_suspended_bids", "max_hourly_spend_usd", "tailscale_config.server",
            "tailscale_config.pre_auth_key", "autoscaler_config.min_agents", "autoscaler_config.max_idle_agents", "pool_details[0].instance_type",
            "pool_details[0].limit_price_per_gpu_hour", "pool_details[1].pool_name", "pool_details[1].autoscaler_config.idle_decay",
        })
        {
            Assert.Contains(problems, p => p.StartsWith("mithril_auto." + key, StringComparison.Ordinal));
        }

        Assert.All(problems, p => Assert.DoesNotContain("tskey", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TheHostingKeys_EveryProblemWithItsPath()
    {
        var valid = Valid();
        var options = new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = valid.ProjectId,
            Region = valid.Region,
            ApiToken = valid.ApiToken,
            PoolDetails = valid.PoolDetails,
            LeaderElection = new BurstLeaderElectionOptions { LeaseName = "Not_A_Name", LeaseNamespace = "UPPER", LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(5), RetryPeriod = TimeSpan.FromSeconds(6) },
            Hpa = new BurstHpaOptions { Name = "", Namespace = "a.b", GpusPerReplica = 0 },
            EconomicGuard = new EconomicGuardOptions { PlatformFeeBps = 10_001, TokenDecimals = 39 },
        };

        var problems = options.Validate("mithril_auto", NoEnv).ToList();

        foreach (var key in new[]
        {
            "leader_election.lease_name", "leader_election.lease_namespace", "leader_election.renew_deadline",
            "leader_election.lease_duration", "hpa.name", "hpa.namespace", "hpa.gpus_per_replica", "economic_guard.platform_fee_bps", "economic_guard.token_decimals",
        })
        {
            Assert.Contains(problems, p => p.StartsWith("mithril_auto." + key + ":", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void HostingDefaults_LeaseAndHpaNames_AndClientGoTiming()
    {
        var o = new MithrilAutoOptions();
        Assert.Equal(("etrid-burst-controller", "", ""), (o.LeaderElection.LeaseName, o.LeaderElection.LeaseNamespace, o.LeaderElection.Identity));
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (o.LeaderElection.LeaseDuration, o.LeaderElection.RenewDeadline, o.LeaderElection.RetryPeriod));
        Assert.Equal(("etrid-ai-gpu-scaler", "", 1), (o.Hpa.Name, o.Hpa.Namespace, o.Hpa.GpusPerReplica));
        Assert.Equal((500, 18), (o.EconomicGuard.PlatformFeeBps, o.EconomicGuard.TokenDecimals));
    }

    [Fact]
    public void ApiToken_Empty_IsReadFromMithrilApiKey()
    {
        var options = new MithrilAutoOptions { ApiToken = "" };

        Assert.Equal("fkey_env", options.ResolveApiToken(n => n == "MITHRIL_API_KEY" ? "fkey_env" : null));
        Assert.Equal("fkey_env", options.ToClientOptions(n => n == "MITHRIL_API_KEY" ? "fkey_env" : null).ApiToken);
    }

    [Fact]
    public void Secrets_AreMarkedForRedaction()
    {
        static bool IsSecret(Type type, string property) =>
            type.GetProperty(property)!.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.DataTypeAttribute), false)
                .Cast<System.ComponentModel.DataAnnotations.DataTypeAttribute>().Any(a => a.DataType == System.ComponentModel.DataAnnotations.DataType.Password);

        Assert.True(IsSecret(typeof(MithrilAutoOptions), nameof(MithrilAutoOptions.ApiToken)));
        Assert.True(IsSecret(typeof(TailscaleOptions), nameof(TailscaleOptions.PreAuthKey)));
        Assert.True(IsSecret(typeof(Etrid.Mithril.Api.MithrilClientOptions), nameof(Etrid.Mithril.Api.MithrilClientOptions.ApiToken)));
    }

    [Fact]
    public void Defaults_AreTheSeedsAndTheReferences()
    {
        var o = new MithrilAutoOptions();
        Assert.Equal(TimeSpan.FromSeconds(60), o.ScaleUpAfter);
        Assert.Equal(TimeSpan.FromMinutes(5), o.ScaleDownAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), o.AllocationTimeout);
        Assert.Equal(0, o.MaxSuspendedBids);
        Assert.Equal((10, 0, 1, TimeSpan.FromMinutes(1)), (o.AutoscalerConfig.MaxAgents, o.AutoscalerConfig.MinAgents, o.AutoscalerConfig.MaxIdleAgents, o.AutoscalerConfig.IdleDecay));
        Assert.Equal(TimeSpan.FromMinutes(15), o.AutoscalerConfig.KillUnknownAfter);
    }

    [Fact]
    public void AutoscalerOverrides_CoverEveryAutoscalerKey()
    {
        // A key added to autoscaler_config but not to the pool's overrides could not be set per pool.
        static string[] Keys(Type t) => [.. t.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal)];

        Assert.Equal(Keys(typeof(AutoscalerOptions)), Keys(typeof(AutoscalerOverrides)));
        var shared = new AutoscalerOptions { MaxAgents = 8, IdleDecay = TimeSpan.FromMinutes(2), KillUnknownAfter = TimeSpan.Zero };
        var merged = new AutoscalerOverrides { MaxAgents = 2 }.Over(shared);
        Assert.Equal((2, TimeSpan.FromMinutes(2), TimeSpan.Zero), (merged.MaxAgents, merged.IdleDecay, merged.KillUnknownAfter));
    }

    [Fact]
    public void Validate_PoolNamesWithTheSameBidNameBase_AreOneProblemNamingBoth()
    {
        var valid = Valid();
        var options = valid with
        {
            PoolDetails =
            [
                new PoolOptions { PoolName = "gpu_a", InstanceType = "it_abc", LimitPricePerGpuHour = 1 },
                new PoolOptions { PoolName = "h100", InstanceType = "it_abc", LimitPricePerGpuHour = 1 },
                new PoolOptions { PoolName = "GPU-A", InstanceType = "it_abc", LimitPricePerGpuHour = 1 },
            ],
        };

        var problem = Assert.Single(options.Validate("mithril_auto", NoEnv));

        Assert.StartsWith("mithril_auto.pool_details[2].pool_name:", problem, StringComparison.Ordinal);
        Assert.Contains("'GPU-A'", problem, StringComparison.Ordinal);
        Assert.Contains("pool_details[0] 'gpu_a'", problem, StringComparison.Ordinal);
        Assert.Contains("etrid-gpu-a", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EnabledAndNotDryRun_RequiresEveryValueTheBootScriptNeeds_EachInOneLine()
    {
        // Left empty, the script would run curl -o … '' and abort under set -euo pipefail: no worker would ever start.
        var options = Valid() with { AgentDownloadUrl = "", ControllerAddress = " ", AgentVersionOverride = "" };

        var problems = options.Validate("mithril_auto", NoEnv).ToList();

        Assert.Equal(3, problems.Count);
        Assert.Single(problems, p => p.StartsWith("mithril_auto.agent_download_url: required", StringComparison.Ordinal));
        Assert.Single(problems, p => p.StartsWith("mithril_auto.controller_address: required", StringComparison.Ordinal));
        Assert.Single(problems, p => p.StartsWith("mithril_auto.agent_version_override: must not be empty", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));

        // A dry run sends no script: nothing it needs is required yet.
        Assert.Empty((options with { DryRun = true, AgentVersionOverride = null }).Validate("mithril_auto", NoEnv));
    }

    [Theory]
    [InlineData(1.5, true)]
    [InlineData(2.0, true)]
    [InlineData(2.5, false)]
    public void Validate_ReleaseJobsPerGpu_AtMostTheTarget(double release, bool valid)
    {
        var options = Valid() with { TargetJobsPerGpu = 2, ReleaseJobsPerGpu = release };

        var problems = options.Validate("mithril_auto", NoEnv).ToList();

        if (valid)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith("mithril_auto.release_jobs_per_gpu: must not exceed target_jobs_per_gpu", Assert.Single(problems), StringComparison.Ordinal);
        }
    }
}
