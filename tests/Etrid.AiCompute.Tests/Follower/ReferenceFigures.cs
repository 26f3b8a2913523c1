using System.Numerics;
using Etrid.DevChain.Runtime;
using Etrid.Substrate.Ss58;
using Etrid.Substrate.Storage;
using Etrid.Substrate.Values;

namespace Etrid.AiCompute.Tests.Follower;

/// <summary>
/// The figures computed the plain way, from the dev chain's own records and its System.Events read
/// with the generic decoder: the ground truth the follower's incremental figures must equal.
/// </summary>
internal sealed class ReferenceFigures
{
    // The pallets' fee, as the dev chain's runtime defines it (not read from the exporter).
    private const int FeeBps = 500;
    private readonly Dictionary<ulong, byte[]> _everProvider = [];

    /// <summary>Remembers every GPU's provider, as unregistering deletes the node; call after each block.</summary>
    public void Observe(DevChain.Chain.DevChain chain)
    {
        foreach (var gpu in chain.GroundTruth().Gpus)
        {
            _everProvider[gpu.Id] = gpu.Provider;
        }
    }

    public (long[] ByStatus, double Wait, double Duration, Dictionary<string, (double Util, long Completed, double Earnings)> Providers, long[] GpusByStatus, PendingQueue Pending) Compute(DevChain.Chain.DevChain chain, ulong window = 600)
    {
        var (block, jobs, gpus, _) = chain.GroundTruth();

        // The pallets' clock as the dev chain runs it.
        var palletSecondsPerBlock = (ulong)chain.Options.PalletSecondsPerBlock;
        var now6 = (ulong)block.Number * palletSecondsPerBlock;
        var windowStart = now6 > window ? now6 - window : 0;
        var byStatus = new long[6];
        foreach (var j in jobs)
        {
            byStatus[(int)j.Status]++;
        }

        var waits = jobs.Where(j => j.Status == DevJobStatus.Pending).Select(j => (double)(now6 - j.SubmittedAt)).ToList();
        var eventsKey = Convert.ToHexStringLower(StorageKey.Prefix("System", "Events"));
        for (var n = (uint)Math.Max(1, (long)block.Number - (long)(window / palletSecondsPerBlock)); n <= block.Number; n++)
        {
            var at = chain.GetBlock(n)!;
            var runtime = chain.RuntimeAt(at);
            var records = (ScaleSequence)new DynamicDecoder(runtime.Metadata.Types).Decode(chain.GetStorage(eventsKey, at)!, runtime.EventRecordsType);
            foreach (var record in records.Items)
            {
                var outer = (ScaleVariant)record.Field("event");
                if (outer.Fields[0].Value is ScaleVariant { Name: "JobAssigned" } assigned)
                {
                    var job = jobs[(int)assigned.Field("job_id").AsUInt64()];
                    waits.Add((n * (double)palletSecondsPerBlock) - job.SubmittedAt);
                }
            }
        }

        var finished = jobs.Where(j => j.Status is DevJobStatus.Completed or DevJobStatus.Disputed).ToList();
        var recent = finished.Where(j => j.CompletedAt >= windowStart).Select(j => (double)(j.CompletedAt!.Value - j.SubmittedAt)).ToList();

        var providers = new Dictionary<string, (double, long, double)>(StringComparer.Ordinal);
        foreach (var group in gpus.GroupBy(g => Convert.ToHexStringLower(g.Provider)))
        {
            var provider = Convert.FromHexString(group.Key);
            var active = group.Where(g => g.Status == DevGpuStatus.Active).Select(g => g.Id).ToHashSet();
            var busy = jobs.Count(j => j.Status == DevJobStatus.Processing && j.AssignedGpu is { } g && active.Contains(g));
            var mine = finished.Where(j => j.AssignedGpu is { } g && _everProvider.TryGetValue(g, out var p) && p.AsSpan().SequenceEqual(provider)).ToList();
            // The pallet's rule: payment − ⌊payment × bps / 10000⌋, in planck; 10^18 planck a token.
            var earned = mine.Aggregate(BigInteger.Zero, (sum, j) => sum + (BigInteger)j.Payment - ((BigInteger)j.Payment * FeeBps / 10000));
            providers[Ss58Address.Encode(provider, 42)] = (active.Count == 0 ? 0 : 100.0 * busy / active.Count, mine.Count, (double)(decimal)earned / 1e18);
        }

        var gpusByStatus = new long[4];
        foreach (var g in gpus)
        {
            gpusByStatus[(int)g.Status]++;
        }

        var pending = jobs.Where(j => j.Status == DevJobStatus.Pending).ToList();
        var queue = new PendingQueue(
            [.. Enumerable.Range(0, 3).Select(p => (long)pending.Count(j => j.Priority == p))],
            [.. Enumerable.Range(0, 6).Select(m => (long)pending.Count(j => j.ModelType == m))],
            pending.Aggregate(BigInteger.Zero, (sum, j) => sum + (BigInteger)j.Payment),
            pending.Aggregate(0UL, (sum, j) => sum + j.MaxComputeTime),
            pending.Count == 0 ? 0 : now6 - pending.Min(j => j.SubmittedAt));
        return (byStatus, waits.Count == 0 ? 0 : waits.Average(), recent.Count == 0 ? double.NaN : recent.Average(), providers, gpusByStatus, queue);
    }

    /// <summary>The pending queue in the burst controller's detail.</summary>
    public sealed record PendingQueue(long[] ByPriority, long[] ByModelType, BigInteger Payment, ulong MaxCompute, double OldestWait);
}
