using Etrid.Simulation.Reporting;

namespace Etrid.Simulation.Tests.Running;

/// <summary>The short day simulated once for the tests that only read its report (every class of <see cref="SimulatedDay"/>).</summary>
public sealed class SimulationFixture : IAsyncLifetime
{
    public SimulationReport Report { get; private set; } = null!;

    public async Task InitializeAsync() => Report = await BurstSimulation.RunAsync(ShortDay.Settings(), CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}

