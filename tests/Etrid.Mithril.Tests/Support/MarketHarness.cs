using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Etrid.Mithril.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Mithril.Tests.Support;

/// <summary>A dev market on a loopback port with virtual time, and clients pointed at it.</summary>
internal sealed class MarketHarness : IAsyncDisposable
{
    public const string Token = "fkey_test_secret_0123456789";

    private MarketHarness(FakeTimeProvider time, DevMarket.Market.DevMarket market, DevMarketServer server, Uri url)
    {
        Time = time;
        Market = market;
        Server = server;
        Url = url;
    }

    public FakeTimeProvider Time { get; }

    public DevMarket.Market.DevMarket Market { get; }

    public DevMarketServer Server { get; }

    public Uri Url { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public string Project => Market.Options.ProjectId;

    public string Region => Market.Options.Region;

    public string SshKey => Market.Options.SshKeyId;

    public static async Task<MarketHarness> StartAsync(DevMarketOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
        options ??= new DevMarketOptions { ApiToken = Token };
        var market = new DevMarket.Market.DevMarket(options, time);
        var server = new DevMarketServer(market, time);
        var url = await server.StartAsync("http://127.0.0.1:0", CancellationToken.None);
        return new MarketHarness(time, market, server, url);
    }

    /// <summary>A client of this market; retries wait 100 ms of virtual time at first, attempts may last an hour unless set.</summary>
    public MithrilClient Client(Func<MithrilClientOptions, MithrilClientOptions>? adjust = null, string? token = null)
    {
        var options = new MithrilClientOptions
        {
            ApiEndpoint = Url,
            ApiToken = token ?? Token,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            RetryMaxDelay = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromHours(1),
            JitterSeed = 7,
        };
        options = adjust?.Invoke(options) ?? options;
        return new MithrilClient(options, new Logger<MithrilClient>(Logs), Time);
    }

    /// <summary>
    /// A client for a faulty market: 30 s attempts (unless set), four retries from 200 ms, and a circuit that never opens
    /// (a day of faults would otherwise spend most of its ticks with the circuit open).
    /// </summary>
    public MithrilClient FaultTolerantClient(int jitterSeed, int requestTimeoutSeconds = 30) => Client(o => new()
    {
        ApiEndpoint = o.ApiEndpoint,
        ApiToken = o.ApiToken,
        RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds),
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        MaxRetries = 4,
        CircuitMinimumThroughput = 1000,
        JitterSeed = jitterSeed,
    });

    /// <summary>Lets virtual time flow in one-second steps, so every market tick sees its own time.</summary>
    public void Advance(TimeSpan total)
    {
        var step = TimeSpan.FromSeconds(1);
        for (var done = TimeSpan.Zero; done < total; done += step)
        {
            Time.Advance(total - done < step ? total - done : step);
        }
    }

    // How often virtual time is pumped, and how long a failing test may take; neither asserts speed.
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan PumpLimit = TimeSpan.FromSeconds(60);

    /// <summary>Advances virtual time in steps while a call waits on it (back-off, Retry-After, timeouts), until the call ends.</summary>
    public async Task<T> PumpAsync<T>(Task<T> call, TimeSpan step)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!call.IsCompleted)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > PumpLimit)
            {
                throw new TimeoutException("the call did not finish while virtual time was pumped");
            }

            // A poll, not a wait for something: it lets the call reach its next virtual-time wait.
            await Task.Delay(PumpInterval);

            // Time moves only while the market is not making an answer, so a timeout fires only on a real hang.
            if (Server.WorkingRequests == 0)
            {
                Time.Advance(step);
            }
        }

        return await call;
    }

    public async Task PumpAsync(Task call, TimeSpan step) => await PumpAsync(WithResult(call), step);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Market.Dispose();
    }

    private static async Task<int> WithResult(Task call)
    {
        await call;
        return 0;
    }
}
