using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Bench;

/// <summary>A meter factory of its own for a measurement, as a host has.</summary>
internal static class BenchMeters
{
    public static IMeterFactory NewFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
