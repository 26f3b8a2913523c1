using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Hosting;
using Etrid.Burst.Options;
using Etrid.Burst.Status;
using Etrid.Burst.Tests.Market;
using Etrid.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Burst.Tests.Hosting;

/// <summary>The controller composed into a real host over a provider that is not Mithril: its start-up check is the market's.</summary>
public sealed class MarketStartupTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    private static BurstOptions Options(int maxSuspended, string instanceType = "gpu-8") => new()
    {
        Enabled = true,
        DryRun = true,
        MaxSuspendedBids = maxSuspended,
        PoolDetails = [new PoolOptions { PoolName = "gpu", InstanceType = instanceType, LimitPricePerGpuHour = 3.5m }],
    };

    private async Task<IReadOnlyList<string>> StartUpProblemsAsync(BurstOptions options, InMemoryCapacityMarket market)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IChainSnapshotSource>(new ChainSnapshotHub(TimeSpan.FromMinutes(1), _time));

        // No KUBERNETES_SERVICE_HOST: standalone, leading alone on the configured capacity.
        builder.Services.AddBurstController(options, "burst", _ => null, agentVersion: "1.0.0", randomSeed: 3).UseMarket(_ => market);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var status = host.Services.GetRequiredService<IBurstStatusSource>();
            await Eventually.WaitAsync(() => status.Current.Failures.Count > 0, "the start-up check's verdict");
            return status.Current.Failures;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task MaxSuspendedBids_OnAMarketThatCannotPause_IsRefusedAtStartUp()
    {
        var market = new InMemoryCapacityMarket(_time, ("gpu-8", 8));

        var problems = await StartUpProblemsAsync(Options(maxSuspended: 2), market);

        Assert.Equal(["burst.max_suspended_bids: this market cannot pause bids; set 0 (every release then cancels)"], problems);
        Assert.Empty(market.Created);
    }

    [Fact]
    public async Task AnInstanceTypeTheMarketDoesNotOffer_IsTheMarketsProblem_NamingTheKey()
    {
        var market = new InMemoryCapacityMarket(_time, ("gpu-8", 8));

        var problems = await StartUpProblemsAsync(Options(maxSuspended: 0, instanceType: "gpu-99"), market);

        Assert.Equal(["burst.pool_details[0].instance_type: unknown (gpu-99)"], problems);
    }
}
