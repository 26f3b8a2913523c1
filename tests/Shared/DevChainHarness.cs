using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;

namespace Etrid.Tests.Shared;

/// <summary>A dev chain served on a free loopback port; blocks are produced only when the test asks.</summary>
internal sealed class DevChainHarness : IAsyncDisposable
{
    private DevChainHarness(DevChain.Chain.DevChain chain, DevChainServer server, Uri url)
    {
        Chain = chain;
        Server = server;
        Url = url;
    }

    public DevChain.Chain.DevChain Chain { get; }

    public DevChainServer Server { get; }

    public Uri Url { get; }

    public static async Task<DevChainHarness> StartAsync(int jobs = 200, int gpus = 16, int finalityLag = 0, int seed = 1, double arrivalRate = 2, int historyDepth = 256, int finalityNotifyEvery = 1, int palletSecondsPerBlock = 6)
    {
        var chain = new DevChain.Chain.DevChain(new DevChainOptions
        {
            Seed = seed,
            Jobs = jobs,
            Gpus = gpus,
            BlockTime = TimeSpan.Zero,
            FinalityLag = finalityLag,
            ArrivalRate = arrivalRate,
            HistoryDepth = historyDepth,
            FinalityNotifyEvery = finalityNotifyEvery,
            PalletSecondsPerBlock = palletSecondsPerBlock,
        });
        var server = new DevChainServer(chain);
        var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        return new DevChainHarness(chain, server, url);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Chain.DisposeAsync();
    }
}
