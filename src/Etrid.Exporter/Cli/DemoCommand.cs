using System.CommandLine;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;

namespace Etrid.Exporter.Cli;

/// <summary><c>etrid-exporter demo</c>: the embedded dev chain and the exporter in one command.</summary>
internal static class DemoCommand
{
    public static Command Create(ILoggerFactory loggerFactory)
    {
        var chainListen = CliOptions.Listen("--chain-listen", "Where the dev chain serves JSON-RPC", "http://127.0.0.1:9944");
        var metricsListen = CliOptions.Listen("--listen", "Where the exporter serves /metrics and the status page", "http://127.0.0.1:9090");
        var blockTime = CliOptions.Duration("--block-time", "Dev chain block time", "2s");
        var seed = new Option<int>("--seed") { Description = "Dev chain workload seed", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Run the dev chain and the exporter together, and print the URLs to open") { chainListen, metricsListen, blockTime, seed };
        command.SetAction(async (result, cancellationToken) =>
        {
            var chainOptions = new DevChainOptions { Seed = result.GetValue(seed), BlockTime = result.GetValue(blockTime), Jobs = 2000, Gpus = 48, Providers = 12, ArrivalRate = 3 };
            await using var chain = new DevChain.Chain.DevChain(chainOptions, TimeProvider.System, loggerFactory.CreateLogger<DevChain.Chain.DevChain>());
            await using var server = new DevChainServer(chain, loggerFactory);
            if (await HostRunner.TryStartAsync(server, result.GetValue(chainListen)!, "--chain-listen", cancellationToken) is not { } chainUrl)
            {
                return 1;
            }

            chain.Start();
            var options = new ExporterOptions
            {
                Chain = new ChainOptions { Endpoints = [chainUrl.ToString()], BlockTime = chainOptions.BlockTime },
                Listen = new ListenOptions { Metrics = result.GetValue(metricsListen)! },
            };
            await using var app = ExporterHost.Build(options);
            if (!await HostRunner.TryStartAsync(app, $"--listen {options.Listen.Metrics}", cancellationToken))
            {
                return 1;
            }

            var web = app.Urls.First().TrimEnd('/');
            await Console.Out.WriteLineAsync($"""
                Etrid AI-Compute demo is running (Ctrl+C stops):
                  status page   {web}/
                  metrics       {web}/metrics
                  readiness     {web}/readyz
                  dev chain     {chainUrl} (JSON-RPC; try: etrid-exporter inspect --endpoint {chainUrl})
                """);
            return await HostRunner.RunUntilStoppedAsync(app, cancellationToken);
        });
        return command;
    }
}
