using Etrid.Mithril.Options;
using Etrid.Mithril.Startup;
using Etrid.Mithril.Tests.Support;

namespace Etrid.Mithril.Tests.Startup;

public sealed class StartupValidatorTests : IAsyncLifetime
{
    private MarketHarness _market = null!;

    public async Task InitializeAsync() => _market = await MarketHarness.StartAsync();

    public async Task DisposeAsync() => await _market.DisposeAsync();

    private MithrilAutoOptions Options(string project = "proj_devmarket01", string region = "us-central1-a", params PoolOptions[] pools) => new()
    {
        Enabled = true,
        ProjectId = project,
        Region = region,
        ApiToken = MarketHarness.Token,
        ApiEndpoint = _market.Url,
        SshKeyIds = ["sshkey_devmarket01"],
        PoolDetails = pools.Length > 0 ? pools : [new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m }],
    };

    [Fact]
    public async Task AValidConfiguration_PassesAndReadsGpuCounts()
    {
        using var client = _market.Client();

        var report = await StartupValidator.ValidateAsync(Options(), client, "mithril_auto", default);

        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Empty(report.Warnings);
        Assert.Equal(8, report.GpusByInstanceType["it_devh100x8"]);
    }

    [Fact]
    public async Task EveryProblem_IsReportedAtOnce()
    {
        using var client = _market.Client();
        var options = Options("proj_other", "eu-west1-b",
            new PoolOptions { PoolName = "a", InstanceType = "it_missing", LimitPricePerGpuHour = 1 },
            new PoolOptions { PoolName = "b", InstanceType = "it_devl40sx1", LimitPricePerGpuHour = 0.001m });
        options = new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = options.ProjectId,
            Region = options.Region,
            ApiToken = options.ApiToken,
            SshKeyIds = ["sshkey_devmarket01", "sshkey_gone"],
            PoolDetails = options.PoolDetails,
        };

        var report = await StartupValidator.ValidateAsync(options, client, "mithril_auto", default);

        Assert.Contains(report.Problems, p => p.StartsWith("mithril_auto.project_id:", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("mithril_auto.ssh_key_ids:", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("mithril_auto.pool_details[0].instance_type:", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("mithril_auto.pool_details[1].limit_price_per_gpu_hour:", StringComparison.Ordinal));
        Assert.Equal(2, report.Warnings.Count);
    }

    [Fact]
    public async Task AWrongKey_IsOneProblemNamingTheKeyButNotItsValue()
    {
        using var client = _market.Client(token: "fkey_wrong_one_123");

        var report = await StartupValidator.ValidateAsync(Options(), client, "mithril_auto", default);

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("mithril_auto.api_token:", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("fkey_wrong_one_123", problem, StringComparison.Ordinal);
    }
}
