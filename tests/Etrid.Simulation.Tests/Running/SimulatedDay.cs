namespace Etrid.Simulation.Tests.Running;

/// <summary>The classes that read the one simulated short day: one collection, so the day is simulated once.</summary>
[CollectionDefinition(Name)]
public sealed class SimulatedDay : ICollectionFixture<SimulationFixture>
{
    public const string Name = "simulated short day";
}
