using Etrid.AiCompute.Follower;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;
using Etrid.Exporter.Metrics;
using Etrid.Substrate.Rpc;

namespace Etrid.Bench;

/// <summary>Live managed bytes of the exporter's main structures at 100,000 jobs and 10,000 GPUs and providers.</summary>
internal static class MemoryBreakdown
{
    public static void Run(TextWriter report)
    {
        long Live() => GC.GetTotalMemory(forceFullCollection: true);
        var before = Live();
        var state = new AiComputeState(500, new ProviderDirectory(42), 18);
        var random = new Random(1);
        for (ulong g = 0; g < 10_000; g++)
        {
            state.SetGpu(g, new GpuNode(g, Etrid.Substrate.Hashing.Blake2b.Hash(BitConverter.GetBytes(g), 32), GpuStatus.Active));
        }

        for (ulong id = 0; id < 100_000; id++)
        {
            var status = (JobStatus)(id % 6);
            state.SetJob(id, new Job(id, status, (UInt128)random.NextInt64(), status == JobStatus.Pending ? null : id % 10_000, id, status >= JobStatus.Completed ? id + 60 : null));
        }

        var afterState = Live();
        var figures = state.Compute(600_000, 600);
        var afterFigures = Live();
        var store = new ChainSnapshotHub(TimeSpan.FromMinutes(1));
        var metrics = new ExporterMetrics("ai-compute", store, new RpcCallStats(), new ByteCounters(), TimeProvider.System, BenchMeters.NewFactory());
        store.Publish(new ChainSnapshot(1, "0x", 1, DateTimeOffset.UtcNow, figures));
        metrics.RenderAsync(Prometheus.ExpositionFormat.OpenMetricsText).GetAwaiter().GetResult();
        var afterMetrics = Live();
        report.WriteLine($"| Live managed memory: state of 100,000 jobs and 10,000 GPUs | {(afterState - before) / 1048576.0:0.0} MB | | — |");
        // Measured from before the figures: a snapshot's own size is within the GC's noise.
        // The chain part is rendered once per snapshot and kept as one buffer per format asked (here OpenMetrics).
        report.WriteLine($"| Live managed memory: one snapshot and its rendered /metrics chain part, 10,000 providers | {(afterMetrics - afterState) / 1048576.0:0.0} MB | | — |");
        GC.KeepAlive(state);
        GC.KeepAlive(metrics);
        GC.KeepAlive(figures);
    }
}
