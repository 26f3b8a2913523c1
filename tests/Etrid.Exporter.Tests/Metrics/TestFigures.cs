using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;

namespace Etrid.Exporter.Tests.Metrics;

/// <summary>Figures with every status and one provider, for tests that need every family to have a series.</summary>
internal static class TestFigures
{
    public static ChainFigures WithOneProvider() => new(
        Enum.GetValues<JobStatus>().ToDictionary(s => s, _ => 1L),
        12.5,
        30,
        [new ProviderFigures("5A", 1, 1, 1, 100, 4, 3.5)],
        Enum.GetValues<GpuStatus>().ToDictionary(s => s, _ => 1L),
        2,
        1,
        0);
}
