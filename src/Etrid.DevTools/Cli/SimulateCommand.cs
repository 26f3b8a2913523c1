using System.CommandLine;
using Etrid.Exporter.Cli;
using Etrid.Mithril.Options;
using Etrid.Simulation;
using Etrid.Simulation.Settings;
using Microsoft.Extensions.Options;

namespace Etrid.DevTools.Cli;

/// <summary><c>etrid-dev simulate</c>: a seeded bursty day in virtual time under the configured burst policy and the seed's naive one.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext cli)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated day (workload, job run times, spot prices)", DefaultValueFactory = _ => 1 };
        var config = new Option<FileInfo?>("--config", "-c")
        {
            Description = "YAML configuration whose mithril_auto section is the policy to replay (its pools must name the dev market's instance types: it_devh100x8, it_deva100x4, it_devl40sx1); default: the tuned policy in BENCHMARKS.md",
        };
        var command = new Command("simulate", "Replay a seeded bursty day (dev chain workload, dev market, the HPA model, virtual time) under the configured burst policy and the seed's naive one; print the cost and wait table")
        {
            seed, config,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var policy = SimulationSettings.DefaultPolicy();
            if (result.GetValue(config) is { } file)
            {
                // The file passes the checks serve runs; the policy is its burst section.
                using var checkedConfiguration = ConfigOption.Check(file, cli);
                if (checkedConfiguration is null)
                {
                    return 2;
                }

                var burst = checkedConfiguration.Services.GetRequiredService<IOptions<MithrilAutoOptions>>().Value;
                if (burst.PoolDetails.Count == 0)
                {
                    await cli.Error.WriteLineAsync($"error: {file.FullName}: mithril_auto.pool_details is empty: the simulation replays that section's policy and needs its pools");
                    return 2;
                }

                policy = burst;
            }

            var settings = new SimulationSettings { Seed = result.GetValue(seed), Policy = policy };
            var problems = settings.Validate("simulate").ToList();
            if (await HostRunner.RefuseAsync(problems, cli.Error) is { } refused)
            {
                return refused;
            }

            var report = await BurstSimulation.RunAsync(settings, cancellationToken);
            report.WriteTable(cli.Out);
            return 0;
        });
        return command;
    }
}
