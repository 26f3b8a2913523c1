using System.Diagnostics.Metrics;
using System.Text;
using Etrid.Exporter.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Etrid.Exporter.Tests.Metrics;

public sealed class MeterBridgeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task ObservableInstruments_AreReadAtScrapeTime_UnderTheirOwnNames()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new MeterBridge(registry, Factory);
        var meter = Factory.Create("Etrid.BridgeTest");
        double total = 1.5;
        long bids = 3;
        meter.CreateObservableCounter("etrid_bridge_test_cost_total", () => new Measurement<double>(total, new KeyValuePair<string, object?>("pool", "a")), description: "cost");
        meter.CreateObservableGauge("etrid_bridge_test_bids", () => new Measurement<long>(bids, new KeyValuePair<string, object?>("pool", "a"), new KeyValuePair<string, object?>("status", "open")), description: "bids");

        var first = await ScrapeAsync(registry);
        Assert.Contains("# TYPE etrid_bridge_test_cost_total counter", first, StringComparison.Ordinal);
        Assert.Contains("etrid_bridge_test_cost_total{pool=\"a\"} 1.5", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE etrid_bridge_test_bids gauge", first, StringComparison.Ordinal);
        Assert.Contains("etrid_bridge_test_bids{pool=\"a\",status=\"open\"} 3", first, StringComparison.Ordinal);

        // A gauge follows the state both ways; a counter reports the running total.
        total = 4.25;
        bids = 1;
        var second = await ScrapeAsync(registry);
        Assert.Contains("etrid_bridge_test_cost_total{pool=\"a\"} 4.25", second, StringComparison.Ordinal);
        Assert.Contains("etrid_bridge_test_bids{pool=\"a\",status=\"open\"} 1", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetersOutsideTheProject_AreNotBridged()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new MeterBridge(registry, Factory);
        var meter = Factory.Create("Other.BridgeTest");
        meter.CreateObservableGauge("other_bridge_test_value", () => 7);
        Assert.DoesNotContain("other_bridge_test_value", await ScrapeAsync(registry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetersOfAnotherFactory_OrOfNone_AreNotBridged()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var bridge = new MeterBridge(registry, Factory);
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherServices.GetRequiredService<IMeterFactory>().Create("Etrid.BridgeTest").CreateObservableGauge("etrid_bridge_test_elsewhere", () => 7);
        using var global = new Meter("Etrid.BridgeTest");
        global.CreateObservableGauge("etrid_bridge_test_global", () => 8);
        var text = await ScrapeAsync(registry);
        Assert.DoesNotContain("etrid_bridge_test_elsewhere", text, StringComparison.Ordinal);
        Assert.DoesNotContain("etrid_bridge_test_global", text, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
