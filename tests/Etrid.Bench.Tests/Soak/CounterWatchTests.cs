using Etrid.Bench.Soak;

namespace Etrid.Bench.Tests.Soak;

public sealed class CounterWatchTests
{
    private const string Before = """
        # HELP etrid_gpu_jobs_completed_total Jobs completed.
        # TYPE etrid_gpu_jobs_completed_total counter
        etrid_gpu_jobs_completed_total{provider="5Alice"} 12
        etrid_gpu_jobs_completed_total{provider="5Bob"} 7
        # TYPE etrid_chain_snapshot_block gauge
        etrid_chain_snapshot_block{pbc="ai-compute"} 212
        """;

    [Fact]
    public void ACounterLowerThanBefore_IsNamedWithBothValues()
    {
        var watch = new CounterWatch();
        watch.Observe(Before);

        var falls = watch.Observe(Before.Replace("\"5Bob\"} 7", "\"5Bob\"} 5", StringComparison.Ordinal));

        var fall = Assert.Single(falls);
        Assert.Equal("etrid_gpu_jobs_completed_total{provider=\"5Bob\"}", fall.Series);
        Assert.Equal(7, fall.Before);
        Assert.Equal(5, fall.Now);
    }

    [Fact]
    public void AFall_IsNamedOnce_AndAFurtherFallAgain()
    {
        var watch = new CounterWatch();
        watch.Observe(Before);
        var lower = Before.Replace("\"5Bob\"} 7", "\"5Bob\"} 5", StringComparison.Ordinal);
        watch.Observe(lower);

        Assert.Empty(watch.Observe(lower));
        Assert.Single(watch.Observe(Before.Replace("\"5Bob\"} 7", "\"5Bob\"} 4", StringComparison.Ordinal)));
    }

    [Fact]
    public void AGaugeThatFalls_AndCountersThatRiseOrHold_AreNoFall()
    {
        var watch = new CounterWatch();
        watch.Observe(Before);

        var after = Before
            .Replace("\"5Alice\"} 12", "\"5Alice\"} 13", StringComparison.Ordinal)
            .Replace("} 212", "} 182", StringComparison.Ordinal);

        Assert.Empty(watch.Observe(after));
    }

    [Fact]
    public void ASeriesThatDisappearsAndComesBackLower_IsAFall()
    {
        var watch = new CounterWatch();
        watch.Observe(Before);
        watch.Observe("etrid_gpu_jobs_completed_total{provider=\"5Alice\"} 12\n");

        Assert.Single(watch.Observe("etrid_gpu_jobs_completed_total{provider=\"5Bob\"} 0\n"));
    }

    [Fact]
    public void LabelValuesWithSpacesAndBraces_KeepTheirSeriesApart()
    {
        var watch = new CounterWatch();
        watch.Observe("""
            etrid_burst_decisions_total{action="hold",reason="queue } drained \"now\""} 4
            etrid_burst_decisions_total{action="hold",reason="budget spent"} 9
            """);

        var falls = watch.Observe("""
            etrid_burst_decisions_total{action="hold",reason="queue } drained \"now\""} 5
            etrid_burst_decisions_total{action="hold",reason="budget spent"} 8
            """);

        Assert.Equal("etrid_burst_decisions_total{action=\"hold\",reason=\"budget spent\"}", Assert.Single(falls).Series);
        Assert.Equal(2, watch.Series);
    }

    [Fact]
    public void EarningsTotalsAndHistogramCounts_AreWatched_OtherGaugesAreNot()
    {
        var watch = new CounterWatch();
        const string First = """
            # TYPE etrid_external_metrics_request_duration_seconds histogram
            etrid_external_metrics_request_duration_seconds_bucket{le="0.1"} 40
            etrid_external_metrics_request_duration_seconds_count 50
            etrid_gpu_earnings_total_edsc{provider="5Alice"} 1234.5
            # TYPE etrid_keda_scaler_streams_count gauge
            etrid_keda_scaler_streams_count 9
            # TYPE dotnet_total_memory_bytes gauge
            dotnet_total_memory_bytes 11239192
            """;
        watch.Observe(First);

        var falls = watch.Observe(First.Replace(" 40", " 39", StringComparison.Ordinal).Replace(" 50", " 49", StringComparison.Ordinal)
            .Replace("1234.5", "1e3", StringComparison.Ordinal).Replace("count 9", "count 1", StringComparison.Ordinal).Replace("11239192", "7546800", StringComparison.Ordinal));

        Assert.Equal(3, falls.Count);
        Assert.DoesNotContain(falls, f => f.Series.StartsWith("etrid_keda_scaler_streams_count", StringComparison.Ordinal));
        Assert.DoesNotContain(falls, f => f.Series.StartsWith("dotnet_total_memory_bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenMetricsText_IsReadAsWell()
    {
        var watch = new CounterWatch();
        watch.Observe("# TYPE etrid_chain_reconnects counter\netrid_chain_reconnects_total{pbc=\"ai-compute\"} 3\netrid_chain_reconnects_created{pbc=\"ai-compute\"} 1.7e9\n# EOF\n");

        Assert.Single(watch.Observe("etrid_chain_reconnects_total{pbc=\"ai-compute\"} 2\n# EOF\n"));
    }
}
