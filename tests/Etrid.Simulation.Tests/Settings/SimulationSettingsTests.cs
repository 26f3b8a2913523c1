using Etrid.Burst.Options;
using Etrid.Mithril.Options;
using Etrid.Simulation.Settings;

namespace Etrid.Simulation.Tests.Settings;

public class SimulationSettingsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new SimulationSettings().Validate("simulate"));

    [Fact]
    public void Validate_ListsEveryProblem_ByKey()
    {
        var settings = new SimulationSettings
        {
            Duration = TimeSpan.FromMinutes(1),
            LocalGpus = 0,
            Policy = new MithrilAutoOptions { PoolDetails = [new PoolOptions { PoolName = "x", InstanceType = "it_real_only", LimitPricePerGpuHour = 1 }] },
        };

        var problems = settings.Validate("simulate").ToList();

        Assert.Contains(problems, p => p.StartsWith("simulate.duration:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("simulate.local_gpus:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("simulate.mithril_auto.pool_details[0].instance_type:", StringComparison.Ordinal) && p.Contains("it_real_only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RefusesInvalidSettings() =>
        await Assert.ThrowsAsync<ArgumentException>(() => BurstSimulation.RunAsync(new SimulationSettings { LocalGpus = 0 }, CancellationToken.None));
}
