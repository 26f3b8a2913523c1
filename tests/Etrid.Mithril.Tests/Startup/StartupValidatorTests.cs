using Etrid.Burst.Options;
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

    [Fact]
    public async Task SpotQuotas_AreRead_NoneAtAllIsAProblem_UsedUpIsAWarning()
    {
        // h100: one instance of quota, about to be used; l40s: no quota at all; a100: room to spare.
        await using var market = await MarketHarness.StartAsync(new DevMarket.Market.DevMarketOptions
        {
            ApiToken = MarketHarness.Token,
            InstanceTypes =
            [
                new() { Fid = "it_devh100x8", Name = "h100", NumGpus = 8, BasePriceCents = 1600, Capacity = 1 },
                new() { Fid = "it_devl40sx1", Name = "l40s", NumGpus = 1, BasePriceCents = 90, Capacity = 0 },
                new() { Fid = "it_deva100x4", Name = "a100", NumGpus = 4, BasePriceCents = 560, Capacity = 16 },
            ],
        });
        using var client = market.Client();
        await client.CreateBidAsync(Api.TestBids.Request(market, "someone-elses-bid", limit: "$60.00"), default);
        market.Advance(market.Market.Options.AuctionInterval);
        var options = new MithrilAutoOptions
        {
            Enabled = true,
            ProjectId = market.Project,
            Region = market.Region,
            ApiToken = MarketHarness.Token,
            PoolDetails =
            [
                new PoolOptions { PoolName = "h100", InstanceType = "it_devh100x8", LimitPricePerGpuHour = 3.5m },
                new PoolOptions { PoolName = "l40s", InstanceType = "it_devl40sx1", LimitPricePerGpuHour = 3.5m },
                new PoolOptions { PoolName = "a100", InstanceType = "it_deva100x4", LimitPricePerGpuHour = 3.5m },
            ],
        };

        var report = await StartupValidator.ValidateAsync(options, client, "mithril_auto", default);

        Assert.Contains(market.Server.Requests, r => r.Method == "GET" && r.Path == "/v2/quotas");
        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("mithril_auto.pool_details[1].instance_type: no Spot quota for it_devl40sx1", problem, StringComparison.Ordinal);
        var warning = Assert.Single(report.Warnings, w => w.Contains("quota", StringComparison.Ordinal));
        Assert.StartsWith("mithril_auto.pool_details[0]: the Spot quota for it_devh100x8 is used up (1 of 1 instances)", warning, StringComparison.Ordinal);
    }
}
