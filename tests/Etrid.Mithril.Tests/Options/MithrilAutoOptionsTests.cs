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
                new PoolOptions { PoolName = "a", InstanceType = "it_x", LimitPricePerGpuHour = 1, AutoscalerConfig = new AutoscalerOptions { IdleDecay = TimeSpan.FromSeconds(-1) } },
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

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5h", 5400)]
    [InlineData("0", 0)]
    public void GoDuration_Valid(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1s")]
    [InlineData("5")]
    [InlineData("1d")]
    [InlineData("1h 30m")]
    [InlineData("99999999h")]
    public void GoDuration_Invalid(string text) => Assert.False(GoDuration.TryParse(text, out _));
}
