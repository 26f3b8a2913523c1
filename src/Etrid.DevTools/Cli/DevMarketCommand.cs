using System.CommandLine;
using Etrid.DevMarket.Faults;
using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Etrid.Exporter.Cli;

namespace Etrid.DevTools.Cli;

/// <summary><c>etrid-dev devmarket</c>: runs the Mithril API simulator alone.</summary>
internal static class DevMarketCommand
{
    public static Command Create(ILoggerFactory loggerFactory, CliContext cli)
    {
        var listen = CliOptions.Listen("--listen", "Address to serve the Mithril API v2 on", "http://127.0.0.1:8099");
        var seed = new Option<int>("--seed") { Description = "Seed of the spot price path, auctions and faults", DefaultValueFactory = _ => 1 };
        var tick = CliOptions.Duration("--tick", "How often the market moves (prices, boots, preemptions)", "5s");
        var auction = CliOptions.Duration("--auction-interval", "Time between allocation rounds", "2m");
        var rate429 = Rate("--fault-429", "Share of requests answered 429 Too Many Requests");
        var rate500 = Rate("--fault-500", "Share of requests answered 500");
        var rateTimeout = Rate("--fault-timeout", "Share of requests never answered");
        var rateSlow = Rate("--fault-slow", "Share of requests answered after a delay");
        var command = new Command("devmarket", "Run the dev market: a Mithril API v2 simulator (spot bids, auctions, preemption, faults) for the burst controller")
        {
            listen, seed, tick, auction, rate429, rate500, rateTimeout, rateSlow,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new DevMarketOptions { Seed = result.GetValue(seed), TickInterval = result.GetValue(tick), AuctionInterval = result.GetValue(auction) };
            var faults = new FaultSettings { Rate429 = result.GetValue(rate429), Rate500 = result.GetValue(rate500), RateTimeout = result.GetValue(rateTimeout), RateSlow = result.GetValue(rateSlow) };
            var problems = options.Validate("devmarket").Concat(faults.Validate()).ToList();
            if (await HostRunner.RefuseAsync(problems, cli.Error) is { } refused)
            {
                return refused;
            }

            using var market = new DevMarket.Market.DevMarket(options, TimeProvider.System, loggerFactory.CreateLogger<DevMarket.Market.DevMarket>());
            await using var server = new DevMarketServer(market, TimeProvider.System, loggerFactory);
            server.Faults.Settings = faults;
            if (await DevServers.TryStartAsync(server, result.GetValue(listen)!, "--listen", cli.Error, cancellationToken) is not { } url)
            {
                return 1;
            }

            // The token is the simulator's own, made up for local use: printing it is how a user learns it.
            await cli.Out.WriteLineAsync($"dev market serving the Mithril API v2 on {url} (project {options.ProjectId}, region {options.Region}, token {options.ApiToken}, seed {options.Seed}); Ctrl+C stops");
            await HostRunner.WaitForStopSignalAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Option<double> Rate(string name, string description) => new(name)
    {
        Description = description + " (0 to 1)",
        DefaultValueFactory = _ => 0,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1)
            {
                return rate;
            }

            r.AddError($"{name}: '{text}' is not a share between 0 and 1");
            return 0;
        },
    };
}
