using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// One block's work: its events, <c>NextJobId</c> and <c>PendingJobs</c>, then a re-read of only the jobs and
/// GPUs the events (and new job ids) touch. Reading and applying are apart, so the follower can refuse what
/// was read from another connection than the one whose identity it checked.
/// </summary>
internal sealed class BlockProcessor
{
    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;

    public BlockProcessor(ISubstrateRpc rpc, FollowerOptions options)
    {
        _rpc = rpc;
        _options = options;
    }

    /// <summary>Reads what block <paramref name="number"/> changed, against the kept <paramref name="state"/> (which it does not change).</summary>
    public async Task<BlockChanges> ReadAsync(AiComputeSchema schema, AiComputeState state, uint number, string hash, CancellationToken cancellationToken)
    {
        string[] keys = [schema.Events.ValueKey, schema.NextJobId.ValueKey, schema.PendingJobs.ValueKey];
        var values = (await _rpc.QueryStorageAtAsync(keys, hash, cancellationToken).ConfigureAwait(false)).Changes;
        var events = schema.DecodeEvents(Value(values, 0));
        var nextJobId = schema.DecodeCounter(schema.NextJobId, Value(values, 1));

        var jobIds = new SortedSet<ulong>();
        var gpuIds = new SortedSet<ulong>();
        CheckNextJobId(nextJobId, state, number, _options.MaxNewJobsPerBlock);
        for (var id = state.NextExpectedJobId; id < nextJobId; id++)
        {
            jobIds.Add(id);
        }

        foreach (var e in events)
        {
            if (e.Pallet == "JobMarketplace" && e.JobId is { } j)
            {
                jobIds.Add(j);
            }
            else if (e.Pallet == "GpuRegistry" && e.GpuId is { } g)
            {
                gpuIds.Add(g);
            }
        }

        var touched = jobIds.Select(id => AiComputeSchema.KeyForId(schema.Jobs, id))
            .Concat(gpuIds.Select(id => AiComputeSchema.KeyForId(schema.GpuNodes, id)))
            .ToList();
        var changes = await ReadValuesAsync(touched, hash, cancellationToken).ConfigureAwait(false);
        var i = 0;
        var jobs = new List<(ulong Id, Job? Job)>(jobIds.Count);
        foreach (var id in jobIds)
        {
            var bytes = Value(changes, i++);
            jobs.Add((id, bytes is null ? null : schema.JobCodec.Decode(id, bytes)));
        }

        var gpus = new List<(ulong Id, GpuNode? Gpu)>(gpuIds.Count);
        foreach (var id in gpuIds)
        {
            var bytes = Value(changes, i++);
            gpus.Add((id, bytes is null ? null : schema.GpuCodec.Decode(id, bytes)));
        }

        return new BlockChanges(events, jobs, gpus, schema.DecodeIdList(schema.PendingJobs, Value(values, 2)));
    }

    /// <summary>
    /// Applies what <see cref="ReadAsync"/> read for block <paramref name="number"/> (<paramref name="hash"/>);
    /// <paramref name="palletTime"/> is the block's time in pallet seconds. Returns what takes the block back.
    /// </summary>
    public static BlockUndo Apply(AiComputeState state, BlockChanges changes, uint number, string hash, ulong palletTime)
    {
        foreach (var e in changes.Events)
        {
            if (e.Pallet == "GpuRegistry" && e.GpuId is { } g && e.Provider is { } provider)
            {
                state.Directory.Remember(g, provider);
            }
        }

        var jobs = new List<(ulong Id, Job? Before, Job? After)>(changes.Jobs.Count);
        Dictionary<ulong, Job?>? values = null;
        foreach (var (id, job) in changes.Jobs)
        {
            jobs.Add((id, state.Counted(id, job), job));
            state.SetJob(id, job);
        }

        var gpus = new List<(ulong Id, GpuNode? Before)>(changes.Gpus.Count);
        foreach (var (id, gpu) in changes.Gpus)
        {
            gpus.Add((id, state.Gpus.GetValueOrDefault(id)));
            state.SetGpu(id, gpu);
        }

        var assignments = 0;
        foreach (var e in changes.Events)
        {
            if (e is { Name: "JobAssigned", JobId: { } assigned })
            {
                // The job was read with the block (its event names it): its submission time is at hand even once finished.
                values ??= changes.Jobs.GroupBy(j => j.Id).ToDictionary(g => g.Key, g => g.Last().Job);
                if ((values.GetValueOrDefault(assigned) ?? state.GetJob(assigned)) is { } job)
                {
                    state.RecordWait(palletTime, job.SubmittedAt);
                    assignments++;
                }
            }
        }

        var pendingBefore = state.PendingList;
        state.PendingList = changes.PendingList;
        return new BlockUndo(number, hash, jobs, gpus, pendingBefore, assignments);
    }

    /// <summary>Takes back what <see cref="Apply"/> did (a re-org reverting the block), newest change first.</summary>
    public static void Undo(AiComputeState state, BlockUndo undo)
    {
        state.PendingList = undo.PendingBefore;
        state.RemoveLastAssignments(undo.Assignments);
        for (var i = undo.Gpus.Count - 1; i >= 0; i--)
        {
            state.SetGpu(undo.Gpus[i].Id, undo.Gpus[i].Before);
        }

        for (var i = undo.Jobs.Count - 1; i >= 0; i--)
        {
            var (id, before, after) = undo.Jobs[i];
            state.RevertJob(id, after, before);
        }
    }

    // NextJobId far beyond the jobs seen is not a chain's doing: refuse it before it costs memory or time.
    internal static void CheckNextJobId(ulong nextJobId, AiComputeState state, uint block, int maxNewJobsPerBlock)
    {
        var expected = state.NextExpectedJobId;
        if (nextJobId > expected && nextJobId - expected > (ulong)maxNewJobsPerBlock)
        {
            throw new ChainDataException($"JobMarketplace.NextJobId is {nextJobId} at block {block}, but the highest job id known is {(expected == 0 ? "none" : (expected - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}: more than {maxNewJobsPerBlock} new jobs at once is not plausible (chain.max_new_jobs_per_block)");
        }
    }

    internal static byte[]? Value(IReadOnlyList<StorageChange> changes, int index) =>
        changes[index].Value is { } hex ? Etrid.Substrate.Hex.Decode(hex) : null;

    private async Task<List<StorageChange>> ReadValuesAsync(List<string> keys, string hash, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var batches = keys.Chunk(_options.PageSize).Select(batch => _rpc.QueryStorageAtAsync(batch, hash, cancellationToken)).ToList();
        var result = new List<StorageChange>(keys.Count);
        foreach (var batch in await Task.WhenAll(batches).ConfigureAwait(false))
        {
            result.AddRange(batch.Changes);
        }

        if (result.Count != keys.Count)
        {
            throw new SubstrateRpcException("state_queryStorageAt", "node", null, $"asked for {keys.Count} keys, got {result.Count}");
        }

        return result;
    }
}
