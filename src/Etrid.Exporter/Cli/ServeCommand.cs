using System.CommandLine;
using Etrid.Exporter.Hosting;

namespace Etrid.Exporter.Cli;

/// <summary><c>etrid-exporter serve</c>: production mode.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var config = ConfigOption.Create();
        var command = new Command("serve", "Follow the chain and serve /metrics, health and the status page (the default verb)") { config };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = ConfigOption.Load(result.GetValue(config), cli);
            if (options is null)
            {
                return 2;
            }

            await using var app = ExporterHost.Build(options, environment: cli.Variable);
            if (!await HostRunner.TryStartAsync(app, $"listen.metrics {options.Listen.Metrics}", cli.Error, cancellationToken))
            {
                return 1;
            }

            var (metrics, api, scaler) = ExporterHost.Addresses(app);
            await cli.Out.WriteLineAsync($"serving /metrics, /readyz, /livez, /healthz and the status page on {metrics}");
            if (api is not null)
            {
                await cli.Out.WriteLineAsync($"serving the external metrics API (external.metrics.k8s.io/v1beta1) on {api}");
            }

            if (scaler is not null)
            {
                await cli.Out.WriteLineAsync($"serving the KEDA external scaler (gRPC) on {scaler}");
            }

            return await HostRunner.RunUntilStoppedAsync(app, cli.Error, cancellationToken);
        });
        return command;
    }
}
