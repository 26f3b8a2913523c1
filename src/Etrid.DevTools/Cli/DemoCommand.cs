using System.CommandLine;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Rpc;
using Etrid.DevChain.Workloads;
using Etrid.DevMarket.Server;
using Etrid.Exporter.Cli;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Etrid.Mithril.Options;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tls;

namespace Etrid.DevTools.Cli;

/// <summary><c>etrid-dev demo</c>: the embedded dev chain and the exporter in one command.</summary>
internal static class DemoCommand
{
    public static Command Create(ILoggerFactory loggerFactory, CliContext cli)
    {
        var chainListen = CliOptions.Listen("--chain-listen", "Where the dev chain serves JSON-RPC", "http://127.0.0.1:9944");
        var metricsListen = CliOptions.Listen("--listen", "Where the exporter serves /metrics and the status page", "http://127.0.0.1:9090");
        var apiListen = CliOptions.Listen("--api-listen", "Where the external metrics API serves HTTPS", "http://127.0.0.1:6443");
        var scalerListen = CliOptions.Listen("--scaler-listen", "Where the KEDA external scaler serves gRPC", "http://127.0.0.1:6000");
        var marketListen = CliOptions.Listen("--market-listen", "Where the dev market serves the Mithril API v2", "http://127.0.0.1:8099");
        var blockTime = CliOptions.Duration("--block-time", "Dev chain block time (one second: a whole burst, from the surge to the release, in about two minutes)", "1s");
        var seed = new Option<int>("--seed") { Description = "Dev chain workload seed", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Run the dev chain, the dev market and the exporter (metrics, external metrics API, KEDA scaler, burst controller) together, and print the URLs to open") { chainListen, metricsListen, apiListen, scalerListen, marketListen, blockTime, seed };
        command.SetAction(async (result, cancellationToken) =>
        {
            // A market with a past (sensible figures from the first minute) and a bursty present: quiet, a surge
            // the local GPUs cannot absorb, quiet again.
            var chainOptions = new DevChainOptions
            {
                Seed = result.GetValue(seed),
                BlockTime = result.GetValue(blockTime),
                Jobs = 2000,
                Gpus = 48,
                Providers = 12,
                ArrivalRate = 3,
                HistoryBlocks = 200,
                ProviderPopularity = true,
                Workload = WorkloadProfile.Bursty(3, result.GetValue(seed)),
            };
            await using var chain = new DevChain.Chain.DevChain(chainOptions, TimeProvider.System, loggerFactory.CreateLogger<DevChain.Chain.DevChain>());
            await using var server = new DevChainServer(chain, loggerFactory);
            if (await DevServers.TryStartAsync(server, result.GetValue(chainListen)!, "--chain-listen", cli.Error, cancellationToken) is not { } chainUrl)
            {
                return 1;
            }

            chain.Start();

            // The cloud the burst controller rents from, its running instances joining the chain as GPUs.
            var marketOptions = DemoBurst.MarketOptions(result.GetValue(seed));
            using var market = new DevMarket.Market.DevMarket(marketOptions, TimeProvider.System, loggerFactory.CreateLogger<DevMarket.Market.DevMarket>());
            await using var marketServer = new DevMarketServer(market, TimeProvider.System, loggerFactory);
            DemoBurst.Connect(marketServer, chain);
            if (await DevServers.TryStartAsync(marketServer, result.GetValue(marketListen)!, "--market-listen", cli.Error, cancellationToken) is not { } marketUrl)
            {
                return 1;
            }

            // A client certificate the API trusts, so kubectl can read it as the aggregator would.
            var dir = Directory.CreateTempSubdirectory("etrid-demo-").FullName;
            var credentials = LocalClientCredentials.Create(dir);
            // Each part's section, as a configuration file would give it.
            var metricsUrl = result.GetValue(metricsListen)!;
            var apiUrl = "https" + result.GetValue(apiListen)!["http".Length..];
            var scalerUrl = result.GetValue(scalerListen)!;
            var configuration = ExporterConfiguration.FromValues(
            [
                new("chain:endpoints:0", chainUrl.ToString()),
                new("chain:block_time", chainOptions.BlockTime.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
                new("listen:metrics", metricsUrl),
                new("kubernetes:mode", "none"),
                .. OptionsSchema.Flatten(ExternalMetricsOptions.SectionName, new ExternalMetricsOptions
                {
                    Listen = apiUrl,
                    Authentication = new ExternalMetricsAuthenticationOptions { ClientCaFile = credentials.ClientCaFile },
                }),
                new("keda_scaler:listen", scalerUrl),
                .. OptionsSchema.Flatten(MithrilAutoOptions.SectionName, DemoBurst.Policy(marketUrl, marketOptions, chainOptions.Gpus, metricsUrl)),
            ]);
            await using var app = ExporterHost.Build(configuration);
            if (!await HostRunner.TryStartAsync(app, $"--listen {metricsUrl}, --api-listen {apiUrl} or --scaler-listen {scalerUrl}", cli.Error, cancellationToken))
            {
                return 1;
            }

            var (metrics, api, scaler) = ExporterHost.Addresses(app);
            var web = metrics.ToString().TrimEnd('/');
            var kubeconfig = credentials.WriteKubeconfig(api!, app.Services.GetRequiredService<ServingCertificate>().ExportPem());
            await cli.Out.WriteLineAsync($"""
                Etrid AI-Compute demo is running (Ctrl+C stops):
                  status page   {web}/
                  metrics       {web}/metrics
                  readiness     {web}/readyz
                  metrics API   {api} (external.metrics.k8s.io/v1beta1, self-signed, client certificate)
                  KEDA scaler   {scaler} (gRPC, externalscaler.ExternalScaler)
                  dev chain     {chainUrl} (JSON-RPC, bursty workload; try: etrid-exporter inspect --endpoint {chainUrl})
                  dev market    {marketUrl} (Mithril API v2 simulator; the burst controller rents from it, pools a100 then h100)
                kubeconfig  {kubeconfig}
                try: {LocalClientCredentials.KubectlCommand(kubeconfig)}
                """);
            return await HostRunner.RunUntilStoppedAsync(app, cli.Error, cancellationToken);
        });
        return command;
    }
}
