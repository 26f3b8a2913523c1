using Etrid.Mithril.Api;
using Etrid.Mithril.Hosting;
using Etrid.Mithril.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Mithril.Tests.Api;

public sealed class CompositionTests
{
    [Fact]
    public async Task AddMithrilClient_ResolvesAClientThatReachesTheMarket()
    {
        await using var market = await MarketHarness.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(market.Time);
        services.AddMithrilClient(new MithrilClientOptions { ApiEndpoint = market.Url, ApiToken = MarketHarness.Token });
        await using var provider = services.BuildServiceProvider();

        var api = provider.GetRequiredService<IMithrilApi>();

        Assert.Same(api, provider.GetRequiredService<IMithrilApi>());
        Assert.StartsWith("user_", (await api.GetMeAsync(default)).Fid, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMithrilClient_InvalidOptions_FailOnResolve()
    {
        var services = new ServiceCollection().AddMithrilClient(new MithrilClientOptions { ApiToken = "" });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IMithrilApi>());
    }
}
