using System.CommandLine;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.Hosting;
using Microsoft.Extensions.Options;

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
            // The checks check-config runs first; the host is built from the configuration that passed them.
            using var checkedConfiguration = ConfigOption.Check(result.GetValue(config), cli);
            if (checkedConfiguration is null)
            {
                return 2;
            }

            WebApplication app;
            try
            {
                // Building sets up the listeners: a certificate file that cannot be read or parsed fails here.
                app = ExporterHost.Build(checkedConfiguration.Configuration, environment: cli.Variable);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await cli.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            await using var host = app;
            var listen = checkedConfiguration.Services.GetRequiredService<IOptions<ListenOptions>>().Value;
            if (!await HostRunner.TryStartAsync(app, $"listen.metrics {listen.Metrics}", cli.Error, cancellationToken))
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
