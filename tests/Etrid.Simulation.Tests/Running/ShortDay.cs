using Etrid.DevChain.Workloads;
using Etrid.Simulation.Settings;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Tests.Running;

/// <summary>A 2.5 h day with one surge: long enough to rent, drain and release, short enough for a test.</summary>
internal static class ShortDay
{
    public static SimulationSettings Settings(int seed = 7)
    {
        var baseRate = JobTrace.BaseRate(32, 0.5, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
        return new SimulationSettings
        {
            Seed = seed,
            Duration = TimeSpan.FromMinutes(150),
            Workload = new WorkloadProfile
            {
                Phases =
                [
                    new WorkloadPhase(baseRate, 300, "quiet"), // 30 min
                    new WorkloadPhase(baseRate * 5, 400, "surge"), // 40 min
                    new WorkloadPhase(baseRate / 4, 800, "quiet"), // 80 min
                ],
                Repeat = false,
            },
        };
    }
}
