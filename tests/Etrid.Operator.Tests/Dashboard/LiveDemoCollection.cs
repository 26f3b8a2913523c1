namespace Etrid.Operator.Tests.Dashboard;

/// <summary>The test classes that share one running demo and its Prometheus (starting them takes minutes).</summary>
[CollectionDefinition(Name)]
public sealed class LiveDemoCollection : ICollectionFixture<LiveDemo>
{
    public const string Name = "live demo";
}
